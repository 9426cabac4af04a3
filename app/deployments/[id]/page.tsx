import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentUser, requireRole } from "@/lib/auth/current";
import { correctionContext } from "@/lib/corrections/context";
import { getDb } from "@/lib/db";
import { getDeploymentDetail } from "@/lib/deployments";
import { formatCount, formatDuration, formatInstant, shortSha } from "@/lib/format";
import { getOrgSettings } from "@/lib/settings/org";
import { parseId } from "@/lib/validation/input";
import { OutcomeChips } from "../../_components/deployments-table";
import { CorrectionsPanel } from "./corrections-panel";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!(await currentUser())) return {};
  return { title: `Deployment ${(await params).id}` };
}

const ATTRIBUTION: Record<string, string> = {
  graph:
    "Its changes are the commits reachable from its SHA and from none of the earlier deployments of its line it descends from (git log this --not <those deployments>).",
  baseline:
    "This is the first deployment Throughline has seen for this service and environment (and no earlier deployment's commit is an ancestor of its own). What it shipped is unknown, so none of its history is counted in lead time (otherwise years of backlog would count as one deployment's changes).",
  unknown_sha:
    "Its SHA (or the previous deployment's) is not in the commit history Throughline holds, so its changes are unknown.",
  too_many: "It would ship more than 5,000 commits (a history import), so its changes are not counted.",
  none: "It shipped nothing new.",
  pending: "Not derived yet.",
};

const KIND: Record<string, string> = {
  redeploy:
    "A redeploy of a SHA already deployed on its line: it ships nothing and is not counted as a deployment.",
  rollback:
    "A rollback: it brings back a SHA that was live before on its line, within the rollback window of the deployment it undoes, which counts as failed; it counts as rework.",
  hotfix: "Declared a hotfix by its source: it counts as rework.",
};

const label = (n: { ref: string | null; sha: string }) => n.ref ?? shortSha(n.sha);

export default async function DeploymentPage({ params }: Props) {
  await requireRole("viewer");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const db = await getDb();
  const [d, settings] = await Promise.all([getDeploymentDetail(db, id), getOrgSettings(db)]);
  if (!d) notFound();
  const zone = settings.timeZone;
  const dep = d.deployment;
  const ctx = await correctionContext(db, d);
  const outcomeBy = ctx.history.find(
    (c) => c.revokedAt === null && (c.kind === "deployment_failed" || c.kind === "deployment_not_failed"),
  );
  const exclusion = ctx.history.find((c) => c.revokedAt === null && c.kind === "deployment_excluded");
  const counted = d.changes.filter(
    (c) => !c.isBot && !c.isMerge && !c.isExcluded && c.firstInEnvironment && c.leadSeconds >= 0,
  );
  const prs = d.changes.filter((c) => c.pr?.id);

  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/deployments">Deployments</Link> / {dep.id}
          </div>
          <h1>
            {d.repository}
            {d.serviceIsDefault ? "" : ` · ${d.service}`} → {dep.environment}
          </h1>
          <p>
            <code>{dep.sha}</code> · live since {formatInstant(dep.finishedAt, zone)}
          </p>
        </div>
        <OutcomeChips row={dep} />
      </div>

      <section className="card card-pad">
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd>{dep.status}</dd>
          </div>
          <div>
            <dt>Kind</dt>
            <dd>{dep.kind}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatInstant(dep.startedAt ?? dep.createdAt, zone)}</dd>
          </div>
          <div>
            <dt>Finished</dt>
            <dd>{formatInstant(dep.finishedAt, zone)}</dd>
          </div>
          <div>
            <dt>Source</dt>
            <dd>
              {dep.url ? <a href={dep.url}>{dep.source}</a> : dep.source} · {dep.externalId}
            </dd>
          </div>
          <div>
            <dt>Triggered by</dt>
            <dd>{dep.trigger === "ci" ? "CI" : dep.trigger}</dd>
          </div>
          <div>
            <dt>Release line</dt>
            <dd>
              {dep.status !== "success" || dep.isExcluded ? (
                "none"
              ) : dep.line ? (
                <>
                  <code>{dep.line}</code> (named by its source)
                </>
              ) : d.lineStart && d.lineStart.id !== dep.id ? (
                <>
                  inferred: the line started by{" "}
                  <Link href={`/deployments/${d.lineStart.id}`}>{label(d.lineStart)}</Link>
                </>
              ) : d.previous ? (
                "inferred: starts a new line (its predecessor already had a successor)"
              ) : (
                "inferred: the first line of this service and environment"
              )}
            </dd>
          </div>
          <div>
            <dt>Follows</dt>
            <dd>
              {d.previous ? (
                <Link href={`/deployments/${d.previous.id}`}>
                  {d.previous.ref ? `${d.previous.ref} · ` : ""}
                  <code>{shortSha(d.previous.sha)}</code> · {formatInstant(d.previous.finishedAt, zone)}
                </Link>
              ) : (
                "none"
              )}
            </dd>
          </div>
          <div>
            <dt>Next deployment</dt>
            <dd>
              {d.next ? (
                <Link href={`/deployments/${d.next.id}`}>
                  <code>{shortSha(d.next.sha)}</code> · {formatInstant(d.next.finishedAt, zone)}
                </Link>
              ) : (
                "none yet"
              )}
            </dd>
          </div>
        </dl>
        <p className="small" style={{ marginBottom: 0 }}>
          {KIND[dep.kind] ? `${KIND[dep.kind]} ` : ""}
          {d.undoes ? (
            <>
              It takes back <Link href={`/deployments/${d.undoes.id}`}>{label(d.undoes)}</Link>
              {dep.discountedReasons.includes("rollback")
                ? `, but more than ${settings.rollbackWindowHours} h after it went live: no immediate intervention, so it is no rollback and fails nothing. `
                : ". "}
            </>
          ) : null}
          {dep.discountedReasons.includes("revert")
            ? `It ships a revert of a change that went live more than ${settings.revertWindowHours} h earlier: no change failure and no rework. `
            : ""}
          {dep.historyCut
            ? "Some of its commits descend from history older than what Throughline holds (the sync horizon): those are missing below. "
            : ""}
          {ATTRIBUTION[dep.attribution]}
          {dep.status !== "success" ? " It did not go live, so no metric counts it." : ""}
        </p>
        {exclusion ? (
          <p className="alert alert-error" style={{ marginBottom: 0 }}>
            Excluded from every metric by {exclusion.createdBy}: “{exclusion.reason}” (
            <a href="#corrections">corrections</a>).
          </p>
        ) : null}
      </section>

      {dep.isFailed || dep.isCorrected || d.remediated.length > 0 || d.incidents.length > 0 ? (
        <section className="section card card-pad" aria-labelledby="outcome-title">
          <h2 id="outcome-title" style={{ marginBottom: 10 }}>
            Outcome
          </h2>
          <ul className="notes">
            {dep.isFailed ? (
              <li className="note note-warning">
                <span className="note-icon">!</span>
                <span>
                  Counted as a <strong>change failure</strong> ({dep.failureReasons.join(", ")}).{" "}
                  {outcomeBy?.kind === "deployment_failed" ? (
                    <>
                      Marked failed by hand by {outcomeBy.createdBy}: “{outcomeBy.reason}”.{" "}
                    </>
                  ) : null}
                  {dep.recoveredAt ? (
                    <>
                      Recovered after <strong>{formatDuration(dep.recoverySeconds)}</strong>
                      {d.recoveredBy ? (
                        <>
                          {" "}
                          by{" "}
                          <Link href={`/deployments/${d.recoveredBy.id}`}>deployment {d.recoveredBy.id}</Link>{" "}
                          ({d.recoveredBy.kind})
                        </>
                      ) : (
                        " when its incident was resolved"
                      )}
                      .
                    </>
                  ) : (
                    "No recovery recorded yet."
                  )}
                </span>
              </li>
            ) : null}
            {!dep.isFailed && outcomeBy?.kind === "deployment_not_failed" ? (
              <li className="note note-info">
                <span className="note-icon">✎</span>
                <span>
                  <strong>Not counted as a change failure</strong>: marked not failed by hand by{" "}
                  {outcomeBy.createdBy}: “{outcomeBy.reason}” (<a href="#corrections">corrections</a>).
                </span>
              </li>
            ) : null}
            {d.remediated.map((r) => (
              <li className="note note-info" key={r.id}>
                <span className="note-icon">i</span>
                <span>
                  Remediated <Link href={`/deployments/${r.id}`}>deployment {r.id}</Link> (
                  <code>{shortSha(r.sha)}</code>): counted as rework.
                </span>
              </li>
            ))}
            {d.incidents.map((i) => (
              <li className="note note-info" key={i.id}>
                <span className="note-icon">i</span>
                <span>
                  Incident{" "}
                  {i.url ? (
                    <a href={i.url}>{i.title || i.externalId}</a>
                  ) : (
                    <strong>{i.title || i.externalId}</strong>
                  )}
                  {i.severity ? ` (${i.severity})` : ""}, opened {formatInstant(i.openedAt, zone)}
                  {i.resolvedAt ? `, resolved ${formatInstant(i.resolvedAt, zone)}` : ", still open"}.{" "}
                  {i.linkedDeploymentId === dep.id
                    ? i.linkMethod === "corrected"
                      ? "Linked by hand (see corrections)."
                      : i.linkMethod === "window"
                        ? dep.finishedAt &&
                          i.openedAt.getTime() - dep.finishedAt.getTime() >
                            settings.incidentLinkWindowHours * 3_600_000
                          ? `Linked because it opened within ${settings.incidentLinkWindowHours} h after a redeploy of this deployment's SHA (no cause was recorded).`
                          : `Linked because it opened within ${settings.incidentLinkWindowHours} h after this deployment (no cause was recorded).`
                        : i.linkMethod === "sha"
                          ? "Linked by the commit named as its cause."
                          : "Linked by its source."
                    : "This deployment restored it."}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="section card" aria-labelledby="changes-title">
        <div className="card-pad section-head" style={{ marginBottom: 0 }}>
          <div>
            <h2 id="changes-title">Shipped {formatCount(d.changes.length, "commit")}</h2>
            <p>
              {counted.length} count toward lead time. Bots, merge commits and commits already delivered to{" "}
              {dep.environment} by an earlier deployment do not.
            </p>
          </div>
        </div>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Commit</th>
                <th scope="col">Title</th>
                <th scope="col">Pull request</th>
                <th scope="col">Started</th>
                <th scope="col" className="num">
                  Lead time
                </th>
                <th scope="col">Counted</th>
              </tr>
            </thead>
            <tbody>
              {d.changes.map((c) => {
                const why = c.isExcluded
                  ? "PR excluded by hand"
                  : c.isBot
                    ? "bot"
                    : c.isMerge
                      ? "merge commit"
                      : !c.firstInEnvironment
                        ? "shipped earlier"
                        : c.leadSeconds < 0
                          ? "started after it went live"
                          : null;
                return (
                  <tr key={c.sha}>
                    <td>
                      <code>{shortSha(c.sha)}</code>
                    </td>
                    <td>{c.title}</td>
                    <td>
                      {c.pr?.id ? (
                        <>
                          {c.pr.url ? <a href={c.pr.url}>#{c.pr.number}</a> : `#${c.pr.number}`}
                          {c.pr.mergeMethod === "squash" ? (
                            <span className="chip" style={{ marginLeft: 6 }}>
                              squash
                            </span>
                          ) : null}
                          {c.pr.isRevert ? (
                            <span className="chip chip-rework" style={{ marginLeft: 6 }}>
                              revert
                            </span>
                          ) : null}
                          {c.pr.isHotfix ? (
                            <span className="chip chip-rework" style={{ marginLeft: 6 }}>
                              hotfix
                            </span>
                          ) : null}
                        </>
                      ) : (
                        ""
                      )}
                    </td>
                    <td className="nowrap">
                      {formatInstant(c.startedAt, zone)}
                      {c.startedAt.getTime() !== c.authoredAt.getTime() ? (
                        <div className="small muted">PR&apos;s first commit</div>
                      ) : null}
                    </td>
                    <td className="num">{c.leadSeconds < 0 ? "–" : formatDuration(c.leadSeconds)}</td>
                    <td>
                      {why ? (
                        <span className="chip">no: {why}</span>
                      ) : (
                        <span className="chip chip-ok">yes</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {d.changes.length === 0 ? (
            <p className="card-pad muted small">No commits attributed to this deployment.</p>
          ) : null}
        </div>
      </section>

      {prs.length > 0 ? (
        <section className="section card" aria-labelledby="prs-title">
          <div className="card-pad">
            <h2 id="prs-title">Pull requests: where the time went</h2>
          </div>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Pull request</th>
                  <th scope="col" className="num">
                    Coding
                  </th>
                  <th scope="col" className="num">
                    Pickup
                  </th>
                  <th scope="col" className="num">
                    Review
                  </th>
                  <th scope="col" className="num">
                    Deploy
                  </th>
                </tr>
              </thead>
              <tbody>
                {prs.map(({ pr }) => {
                  if (!pr?.id) return null;
                  const ready = pr.readyAt ?? pr.createdAt;
                  const span = (a: Date | null | undefined, b: Date | null | undefined) =>
                    a && b ? formatDuration(Math.max(0, (b.getTime() - a.getTime()) / 1000)) : "–";
                  return (
                    <tr key={pr.id}>
                      <td>
                        #{pr.number} {pr.title}
                      </td>
                      <td className="num">{span(pr.firstCommitAt, ready)}</td>
                      <td className="num">{span(ready, pr.firstReviewAt)}</td>
                      <td className="num">{span(pr.firstReviewAt, pr.mergedAt)}</td>
                      <td className="num">{span(pr.mergedAt, dep.finishedAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <CorrectionsPanel d={d} ctx={ctx} zone={zone} />
    </>
  );
}
