import type { Metadata } from "next";
import Link from "next/link";
import { listAudit } from "@/lib/audit";
import { requireRole } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { formatInstant } from "@/lib/format";
import { getOrgSettings } from "@/lib/settings/org";
import { parseId } from "@/lib/validation/input";

export const metadata: Metadata = { title: "Audit log" };

const PAGE = 100;

/** Admin actions and sign-ins, newest first: who, what, when, on what. Admins only. */
export default async function AuditPage(props: {
  searchParams: Promise<{ before?: string | string[]; action?: string | string[] }>;
}) {
  await requireRole("admin");
  const q = await props.searchParams;
  const db = await getDb();
  // An id of the integer column, or none: `before=1.5` or `before=1e20` reached PostgreSQL as a 500 (ADR 0015).
  const before = (typeof q.before === "string" ? parseId(q.before) : null) ?? undefined;
  const action = typeof q.action === "string" && /^[a-z_.]{1,40}$/.test(q.action) ? q.action : undefined;
  const [rows, settings] = await Promise.all([
    listAudit(db, { limit: PAGE, before, action }),
    getOrgSettings(db),
  ]);
  const zone = settings.timeZone;
  const last = rows.at(-1);
  return (
    <section className="card" aria-labelledby="audit-title">
      <div className="card-pad">
        <h2 id="audit-title">Audit log</h2>
        <p className="small muted" style={{ margin: "4px 0 0" }}>
          Every change to settings, teams, tokens, survey rounds and corrections, every sync started by hand
          and every sign-in, with who made it. Entries are never edited or removed from here.
          {action ? (
            <>
              {" "}
              Showing <code>{action}</code> only: <Link href="/settings/audit">show all</Link>.
            </>
          ) : null}
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="card-pad muted">Nothing recorded yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">On</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{formatInstant(r.at, zone)}</td>
                  <td>{r.actor}</td>
                  <td>
                    <Link href={`/settings/audit?action=${encodeURIComponent(r.action)}`}>
                      <code>{r.action}</code>
                    </Link>
                  </td>
                  <td>{r.target ?? ""}</td>
                  <td className="small muted">{describe(r.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length === PAGE && last ? (
        <p className="card-pad">
          <Link
            className="btn btn-small"
            href={`/settings/audit?before=${last.id}${action ? `&action=${encodeURIComponent(action)}` : ""}`}
          >
            Older entries
          </Link>
        </p>
      ) : null}
    </section>
  );
}

function describe(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" · ")
    .slice(0, 300);
}
