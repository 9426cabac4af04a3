import type { LinkMailRow } from "@/lib/calms/mail";
import { formatInstant } from "@/lib/format";
import { MailLinks, Remind } from "./mail-links";

const STATUS: Record<LinkMailRow["status"], string> = {
  pending: "waiting to send",
  sending: "sending",
  sent: "sent",
  failed: "failed",
};

/**
 * Settings → Survey → a round: mail each person their single-use link (ADR 0024). Lists who was mailed and has not
 * answered yet (a link that answers leaves the list at once: that is the residual ADR 0024 states), each send's
 * outcome, and "Send reminder". Without SMTP_URL, says how to set it; "Create links" above still works.
 */
export function MailSection(props: {
  roundId: number;
  teams: { teamId: number; roundTeamId: number; name: string }[];
  rows: LinkMailRow[];
  problem: string | null;
  smtpConfigured: boolean;
}) {
  return (
    <section className="card card-pad" aria-labelledby="mail-title" data-testid="mail-section">
      <h2 id="mail-title" style={{ marginBottom: 4 }}>
        Mail the links
      </h2>
      <p className="small muted" style={{ marginTop: 0 }}>
        Paste a team's e-mail addresses: each person gets their own single-use link by e-mail. Addresses are
        stored encrypted only while a link is unused, so that a reminder can send the same link: an address is
        deleted when its link answers, and all of them when the round closes. This list therefore shows who
        has not answered yet; it never shows who gave which answers.
      </p>
      {props.problem ? (
        <div className="alert alert-error" role="alert">
          {props.problem}
        </div>
      ) : null}
      {!props.smtpConfigured ? (
        <div className="alert" role="note" data-testid="smtp-missing">
          E-mail is not set up: set <code>SMTP_URL</code> (e.g.{" "}
          <code>smtp://user:password@smtp.example.com:587</code>) and <code>SMTP_FROM</code> in the server's
          environment and restart (README § Scheduled reports). Until then, use <strong>Create links</strong>{" "}
          above and send them yourself.
        </div>
      ) : null}
      {props.teams.map((t) => {
        const rows = props.rows.filter((r) => r.roundTeamId === t.roundTeamId);
        const waiting = rows.filter((r) => r.status === "sent" || r.status === "failed").length;
        return (
          <div key={t.teamId} style={{ marginTop: 16 }}>
            <h3 style={{ margin: "0 0 6px" }}>{t.name}</h3>
            {props.smtpConfigured ? (
              <MailLinks roundId={props.roundId} teamId={t.teamId} team={t.name} />
            ) : null}
            {rows.length ? (
              <>
                <div className="table-wrap" style={{ marginTop: 8 }}>
                  <table data-testid={`mailed-${t.teamId}`}>
                    <caption className="small muted" style={{ textAlign: "left" }}>
                      Mailed, not answered yet ({rows.length})
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Address</th>
                        <th scope="col">Last mail</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={r.linkId}>
                          <td>{r.email ?? <span className="muted">(cannot be read: key changed)</span>}</td>
                          <td className="small">
                            {r.kind === "reminder" ? "reminder" : "invitation"}
                            {r.reminders > 0
                              ? `, ${r.reminders} reminder${r.reminders === 1 ? "" : "s"} sent`
                              : ""}
                            {r.sentAt ? `, ${formatInstant(r.sentAt, "UTC")} UTC` : ""}
                          </td>
                          <td className="small">
                            <span className={r.status === "failed" ? "error" : undefined}>
                              {STATUS[r.status]}
                            </span>
                            {r.lastError ? (
                              <>
                                {r.status === "pending"
                                  ? ` (attempt ${r.attempts}; next ${formatInstant(r.nextAttemptAt, "UTC")} UTC)`
                                  : ""}
                                : <span className="muted">{r.lastError}</span>
                              </>
                            ) : null}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {props.smtpConfigured ? (
                  <Remind roundId={props.roundId} teamId={t.teamId} waiting={waiting} />
                ) : null}
              </>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}
