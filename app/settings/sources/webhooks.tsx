import type { Db } from "@/lib/db";
import { formatInstant } from "@/lib/format";
import { deliverySummary } from "@/lib/ingest/source/deliveries";

const CHIP: Record<string, string> = {
  processed: "chip chip-ok",
  ignored: "chip",
  failed: "chip chip-fail",
  processing: "chip chip-info",
};

export interface WebhookEndpoint {
  /** webhook_deliveries.source, and the path /api/webhooks/<source>. */
  source: string;
  label: string;
  /** The environment variable holding its secret. */
  secretEnv: string;
  /** How to point the sender at this server, once it is on. */
  setup: string;
  /** The README section that explains it. */
  readme: string;
}

/** A webhook endpoint: is it on, and the last deliveries with what became of each. */
export async function WebhooksSection({
  db,
  endpoint,
  secretSet,
  zone,
}: {
  db: Db;
  endpoint: WebhookEndpoint;
  secretSet: boolean;
  zone: string;
}) {
  const log = await deliverySummary(db, endpoint.source, 15);
  const id = `webhooks-${endpoint.source}-title`;
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-pad">
        <h2 id={id}>{endpoint.label} webhooks</h2>
        <p className="small muted" style={{ margin: "4px 0 0" }}>
          {secretSet ? (
            <>
              On: {endpoint.setup} <code>/api/webhooks/{endpoint.source}</code> on this server, with the same
              secret as <code>{endpoint.secretEnv}</code>. {log.total} deliveries in the last 30 days
              {log.failed ? `, ${log.failed} failed` : ""}.
            </>
          ) : (
            <>
              Off: set <code>{endpoint.secretEnv}</code> to receive deliveries (README § {endpoint.readme}).
              Until then every delivery is refused.
            </>
          )}
        </p>
      </div>
      {log.recent.length > 0 ? (
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
              {log.recent.map((d) => (
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
