import type { Metadata } from "next";
import { requireRole } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { listSchedules, recentDeliveries } from "@/lib/delivery/store";
import { listUnsubscribed } from "@/lib/delivery/unsubscribe";
import { formatInstant } from "@/lib/format";
import { getOrgSettings } from "@/lib/settings/org";
import { listTeams } from "@/lib/teams";
import { deleteScheduleAction, pauseScheduleAction, resubscribeAction, sendNowAction } from "./actions";
import { ScheduleForm } from "./schedule-form";

export const metadata: Metadata = { title: "Scheduled reports" };

const STATUS: Record<string, string> = {
  pending: "waiting to retry",
  sending: "sending",
  sent: "sent",
  failed: "failed",
};

/** Scheduled reports (admins): who receives what and when, what was sent, what failed and why. */
export default async function ReportSchedulesPage() {
  await requireRole("admin");
  const db = await getDb();
  const [schedules, deliveries, teams, settings, unsubscribed] = await Promise.all([
    listSchedules(db),
    recentDeliveries(db, 20),
    listTeams(db),
    getOrgSettings(db),
    listUnsubscribed(db),
  ]);
  const zone = settings.timeZone;
  return (
    <>
      <section className="card">
        <div className="card-pad">
          <h2>Scheduled reports</h2>
          <p className="small muted" style={{ margin: "4px 0 0" }}>
            A report by e-mail (PDF and CSV attached) or a digest in a Slack or Teams channel, on a schedule.
            Digests never include CALMS results.
          </p>
        </div>
        {schedules.length === 0 ? (
          <p className="card-pad muted">Nothing scheduled yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Report</th>
                  <th scope="col">To</th>
                  <th scope="col">When</th>
                  <th scope="col">Last sent</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {schedules.map((s) => (
                  <tr key={s.id} style={s.paused ? { opacity: 0.7 } : undefined}>
                    <td>
                      {s.name}
                      {s.fromConfig ? <div className="small muted">from the config file</div> : null}
                    </td>
                    <td>
                      {s.team ? `Team ${s.team.name}` : "Organisation"}
                      <div className="small muted">{s.period}</div>
                    </td>
                    <td>
                      {s.channel === "email" ? (
                        <>
                          {s.recipients.map((r, i) => (
                            <span key={r}>
                              {i ? ", " : ""}
                              {unsubscribed.some((u) => u.email === r.toLowerCase()) ? (
                                <s title="unsubscribed: not sent to">{r}</s>
                              ) : (
                                r
                              )}
                            </span>
                          ))}
                          <div className="small muted">{s.formats.join(" + ").toUpperCase()}</div>
                        </>
                      ) : (
                        <>
                          {s.channel === "slack" ? "Slack" : "Teams"}
                          <div className="small muted">{s.webhookHost}</div>
                        </>
                      )}
                    </td>
                    <td>
                      {s.rhythm}
                      <div className="small muted">
                        {s.paused ? "paused" : `next ${formatInstant(s.nextDueAt, zone)}`}
                      </div>
                    </td>
                    <td>
                      {s.last ? (
                        <>
                          <span className={`chip${s.last.status === "failed" ? " chip-fail" : ""}`}>
                            {STATUS[s.last.status] ?? s.last.status}
                          </span>
                          <div className="small muted">{formatInstant(s.last.at, zone)}</div>
                          {s.last.error && s.last.status !== "sent" ? (
                            <div className="small error">{s.last.error}</div>
                          ) : null}
                        </>
                      ) : (
                        <span className="muted">never</span>
                      )}
                    </td>
                    <td className="nowrap">
                      <form action={sendNowAction} style={{ display: "inline" }}>
                        <input type="hidden" name="id" value={s.id} />
                        <button type="submit" className="btn btn-small" aria-label={`Send ${s.name} now`}>
                          Send now
                        </button>
                      </form>{" "}
                      <form action={pauseScheduleAction} style={{ display: "inline" }}>
                        <input type="hidden" name="id" value={s.id} />
                        <input type="hidden" name="paused" value={String(!s.paused)} />
                        <button
                          type="submit"
                          className="btn btn-small"
                          aria-label={`${s.paused ? "Resume" : "Pause"} ${s.name}`}
                        >
                          {s.paused ? "Resume" : "Pause"}
                        </button>
                      </form>{" "}
                      {s.fromConfig ? null : (
                        <form action={deleteScheduleAction} style={{ display: "inline" }}>
                          <input type="hidden" name="id" value={s.id} />
                          <button
                            type="submit"
                            className="btn btn-small btn-danger"
                            aria-label={`Delete ${s.name}`}
                          >
                            Delete
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {deliveries.length ? (
        <section className="section card">
          <div className="card-pad">
            <h2>Recent deliveries</h2>
          </div>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Schedule</th>
                  <th scope="col">Due</th>
                  <th scope="col">Status</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td>
                      {d.schedule}
                      {d.trigger === "manual" ? <div className="small muted">sent by hand</div> : null}
                    </td>
                    <td className="nowrap">{formatInstant(d.dueAt, zone)}</td>
                    <td>
                      {STATUS[d.status] ?? d.status}
                      <div className="small muted">
                        {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
                        {d.status === "pending" ? `, next ${formatInstant(d.nextAttemptAt, zone)}` : ""}
                      </div>
                    </td>
                    <td className="small">{d.status === "sent" ? d.summary : d.lastError}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {unsubscribed.length ? (
        <section className="section card" data-testid="unsubscribed">
          <div className="card-pad">
            <h2>Unsubscribed</h2>
            <p className="small muted" style={{ margin: "4px 0 0" }}>
              These addresses used the unsubscribe link of a report e-mail: no schedule sends to them. Add one
              back only if its owner asked you to.
            </p>
          </div>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {unsubscribed.map((u) => (
                  <tr key={u.email}>
                    <td>{u.email}</td>
                    <td className="nowrap">{formatInstant(u.createdAt, zone)}</td>
                    <td>
                      <form action={resubscribeAction}>
                        <input type="hidden" name="email" value={u.email} />
                        <button type="submit" className="btn btn-small" aria-label={`Re-add ${u.email}`}>
                          Re-add
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <section className="section card card-pad">
        <h2 style={{ marginBottom: 10 }}>Schedule a report</h2>
        <ScheduleForm
          teams={teams.map((t) => ({ slug: t.slug, name: t.name }))}
          zone={zone}
          mailReady={!!process.env.SMTP_URL}
        />
      </section>
    </>
  );
}
