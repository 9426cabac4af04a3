import { currentUser } from "@/lib/auth/current";
import type { CorrectionRow } from "@/lib/corrections";
import type { CorrectionContext } from "@/lib/corrections/context";
import type { DeploymentDetail } from "@/lib/deployments";
import { formatInstant } from "@/lib/format";
import { revokeCorrectionAction } from "./actions";
import { type CorrectionChoice, CorrectionForm } from "./correction-form";

const DESCRIBE: Record<CorrectionRow["kind"], (c: CorrectionRow) => string> = {
  deployment_failed: () => "Marked as failed",
  deployment_not_failed: () => "Marked as not failed",
  deployment_excluded: () => "Excluded from the metrics",
  pull_request_excluded: (c) =>
    `Excluded pull request #${c.pullRequestNumber ?? c.pullRequestId} from lead time`,
  incident_linked: (c) => `Linked incident “${c.incidentTitle ?? c.incidentId}” to this deployment`,
  incident_unlinked: (c) => `Unlinked incident “${c.incidentTitle ?? c.incidentId}” from this deployment`,
};

/** Corrections by hand: what was corrected, by whom, when and why (revoked ones stay listed), and a form. */
export async function CorrectionsPanel({
  d,
  ctx,
  zone,
}: {
  d: DeploymentDetail;
  ctx: CorrectionContext;
  zone: string;
}) {
  const dep = d.deployment;
  const user = await currentUser();
  // Viewers see every correction and why; only admins make or revoke them (the actions check it too).
  const isAdmin = user?.role === "admin";
  const author = user?.name ?? "";
  const choices: CorrectionChoice[] = [];
  if (dep.isCounted && !dep.isFailed)
    choices.push({
      value: "deployment_failed",
      label: "It failed: count it as a change failure",
      group: "Outcome",
    });
  if (dep.isCounted && dep.isFailed)
    choices.push({
      value: "deployment_not_failed",
      label: "It did not fail: do not count it as a change failure",
      group: "Outcome",
    });
  if (!dep.isExcluded)
    choices.push({
      value: "deployment_excluded",
      label: "Exclude this deployment from every metric",
      group: "Metrics",
    });
  const prs = new Map(d.changes.flatMap((c) => (c.pr?.id ? [[c.pr.id, c.pr] as const] : [])));
  for (const [id, pr] of prs) {
    if (!ctx.excludedPullRequests.has(id))
      choices.push({
        value: `pr:${id}`,
        label: `Exclude pull request #${pr.number} from lead time`,
        group: "Metrics",
      });
  }
  if (dep.status === "success") {
    for (const i of ctx.linkable) {
      choices.push({
        value: `link:${i.id}`,
        label: `It caused incident “${i.title}” (${formatInstant(i.openedAt, zone)})`,
        group: "Incidents",
      });
    }
  }
  for (const i of d.incidents.filter((x) => x.linkedDeploymentId === dep.id)) {
    choices.push({
      value: `unlink:${i.id}`,
      label: `It did not cause incident “${i.title || i.externalId}”`,
      group: "Incidents",
    });
  }

  return (
    <section className="section card card-pad" aria-labelledby="corrections-title" id="corrections">
      <h2 id="corrections-title" style={{ marginBottom: 4 }}>
        Corrections
      </h2>
      <p className="small muted" style={{ marginTop: 0 }}>
        No source is perfect. A correction overrides what the sources say, is applied to every figure at once
        and survives every later sync; revoking it restores what the sources say.
      </p>
      {ctx.history.length > 0 ? (
        <ul className="notes" aria-label="Correction history">
          {ctx.history.map((c) => (
            <li
              key={c.id}
              className={`note ${c.revokedAt ? "" : "note-info"}`}
              style={c.revokedAt ? { opacity: 0.65 } : undefined}
            >
              <span className="note-icon">{c.revokedAt ? "–" : "✎"}</span>
              <span style={{ flex: 1 }}>
                <strong>{DESCRIBE[c.kind](c)}</strong>: “{c.reason}”
                <span className="small muted">
                  {" "}
                  by {c.createdBy}, {formatInstant(c.createdAt, zone)}
                  {c.revokedAt ? ` · revoked by ${c.revokedBy}, ${formatInstant(c.revokedAt, zone)}` : ""}
                </span>
              </span>
              {c.revokedAt || !isAdmin ? null : (
                <form action={revokeCorrectionAction}>
                  <input type="hidden" name="id" value={c.id} />
                  <button type="submit" className="btn btn-small">
                    Revoke
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {isAdmin && choices.length > 0 ? (
        <CorrectionForm deploymentId={dep.id} choices={choices} author={author} />
      ) : null}
    </section>
  );
}
