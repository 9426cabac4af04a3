import { formatInstant } from "@/lib/format";
import type { RepoSyncStatus } from "@/lib/ingest/status";

/** The last sync of each scope of a source (a repository, a job, the account's incidents): result and counts. */
export function ScopesTable({
  title,
  heading,
  rows,
  empty,
  zone,
}: {
  title: string;
  /** The first column's heading: Repository, Scope… */
  heading: string;
  rows: RepoSyncStatus[];
  empty: string;
  zone: string;
}) {
  return (
    <section className="card">
      <div className="card-pad">
        <h2>{title}</h2>
      </div>
      {rows.length === 0 ? (
        <p className="card-pad muted" style={{ marginTop: 0 }}>
          {empty}
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{heading}</th>
                <th scope="col">Last sync</th>
                <th scope="col">Result</th>
                <th scope="col">Fetched</th>
                <th scope="col" className="num">
                  Requests
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.repository}>
                  <td>
                    <code>{r.repository}</code>
                  </td>
                  <td className="nowrap">{formatInstant(r.lastRunAt, zone)}</td>
                  <td>
                    {r.status === "error" ? (
                      <span className="chip chip-fail" title={r.error ?? ""}>
                        failed
                      </span>
                    ) : r.status === "running" ? (
                      <span className="chip chip-info">running</span>
                    ) : (
                      <span className="chip chip-ok">ok</span>
                    )}
                    {r.status === "error" && r.error ? (
                      <div className="small" style={{ color: "var(--bad)", marginTop: 4 }}>
                        {r.error}
                      </div>
                    ) : null}
                  </td>
                  <td className="small">
                    {Object.entries(r.counts)
                      .filter(([, n]) => n > 0)
                      .map(([k, n]) => `${n} ${k}`)
                      .join(", ") || "no changes"}
                  </td>
                  <td className="num">{r.requests ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
