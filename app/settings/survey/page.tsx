import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/current";
import { listRounds } from "@/lib/calms/rounds";
import { getDb } from "@/lib/db";
import { formatLocalDate } from "@/lib/format";
import { RoundStatusChip } from "../../calms/_components/round-status";

export const metadata: Metadata = { title: "Survey" };

export default async function SurveySettingsPage() {
  await requireRole("admin");
  const rounds = await listRounds(await getDb());
  return (
    <section className="card" aria-labelledby="rounds-title">
      <div className="card-pad section-head" style={{ marginBottom: 0 }}>
        <div>
          <h2 id="rounds-title">CALMS rounds</h2>
          <p>
            A round asks one or more teams the CALMS statements through a link per team; no account is needed
            to answer. Results: <Link href="/calms">CALMS</Link>.
          </p>
        </div>
        <Link className="btn btn-primary" href="/settings/survey/new">
          New round
        </Link>
      </div>
      {rounds.length === 0 ? (
        <p className="card-pad muted" style={{ paddingTop: 0 }}>
          No rounds yet.
        </p>
      ) : (
        <div className="table-wrap">
          <table data-testid="rounds-table">
            <thead>
              <tr>
                <th scope="col">Round</th>
                <th scope="col">Dates</th>
                <th scope="col">Status</th>
                <th scope="col">Answers per team</th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/settings/survey/${r.id}`}>{r.title}</Link>
                    <div className="small muted">
                      {r.items} statements · results from {r.minGroupSize} answers
                    </div>
                  </td>
                  <td className="nowrap">
                    {formatLocalDate(r.opensOn)} – {formatLocalDate(r.closesOn)}
                  </td>
                  <td>
                    <RoundStatusChip status={r.status} />
                  </td>
                  <td className="small">
                    {r.teams.map((t) => `${t.name} ${t.n}${t.teamSize ? `/${t.teamSize}` : ""}`).join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
