import type { Db } from "@/lib/db";
import { formatInstant } from "@/lib/format";
import { recentDeliveries } from "@/lib/ingest/webhooks/github/deliveries";

const CHIP: Record<string, string> = {
  processed: "chip chip-ok",
  ignored: "chip",
  failed: "chip chip-fail",
  processing: "chip chip-info",
};

/** GitHub webhooks: is the endpoint on, and the last deliveries with what became of each. */
export async function WebhooksSection({ db, secretSet, zone }: { db: Db; secretSet: boolean; zone: string }) {
  const log = await recentDeliveries(db);
  return (
    <section className="card" aria-labelledby="webhooks-title">
      <div className="card-pad">
        <h2 id="webhooks-title">GitHub webhooks</h2>
        <p className="small muted" style={{ margin: "4px 0 0" }}>
          {secretSet ? (
            <>
              On: point a repository's or organisation's webhook at <code>/api/webhooks/github</code> on this
              server (content type JSON, the same secret as <code>GITHUB_WEBHOOK_SECRET</code>). {log.total}{" "}
              deliveries in the last 30 days
              {log.failed ? `, ${log.failed} failed` : ""}.
            </>
          ) : (
            <>
              Off: set <code>GITHUB_WEBHOOK_SECRET</code> to receive deliveries (README § GitHub webhooks).
              Until then every delivery is refused.
            </>
          )}
        </p>
      </div>
      {log.rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Event</th>
                <th scope="col">Repository</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {log.rows.map((d) => (
                <tr key={d.deliveryId}>
                  <td className="nowrap">{formatInstant(d.receivedAt, zone)}</td>
                  <td>
                    {d.event}
                    {d.action ? <span className="muted"> · {d.action}</span> : null}
                  </td>
                  <td>{d.repository ? <code>{d.repository}</code> : "–"}</td>
                  <td>
                    <span className={CHIP[d.status] ?? "chip"}>{d.status}</span>
                    {d.error ? <div className="small muted">{d.error}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
