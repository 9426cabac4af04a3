import { and, asc, eq, gte, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { incidents } from "@/lib/db/schema";
import type { DeploymentDetail } from "@/lib/deployments";
import { type CorrectionRow, listCorrections } from "./index";

/**
 * What the deployment page needs to offer corrections: the history (active and revoked) of this deployment, of
 * the pull requests it shipped and of the incidents tied to it, and the incidents one might link to it.
 */
export interface CorrectionContext {
  history: CorrectionRow[];
  excludedPullRequests: Set<number>;
  linkable: { id: number; title: string; openedAt: Date }[];
}

const LINKABLE_DAYS = 7;

export async function correctionContext(db: Db, d: DeploymentDetail): Promise<CorrectionContext> {
  const prIds = [
    ...new Set(d.changes.map((c) => c.pr?.id).filter((x): x is number => typeof x === "number")),
  ];
  const incidentIds = d.incidents.map((i) => i.id);
  const history = await listCorrections(db, {
    deploymentId: d.deployment.id,
    pullRequestIds: prIds,
    incidentIds,
  });
  const excludedPullRequests = new Set(
    history
      .filter((c) => c.kind === "pull_request_excluded" && c.revokedAt === null && c.pullRequestId !== null)
      .map((c) => c.pullRequestId as number),
  );
  // Incidents of the same repository that opened in the week after it went live, not already blamed on it.
  const from = d.deployment.finishedAt ?? d.deployment.createdAt;
  const to = new Date(from.getTime() + LINKABLE_DAYS * 86_400_000);
  const linkable = await db
    .select({
      id: incidents.id,
      title: sql<string>`coalesce(nullif(${incidents.title}, ''), ${incidents.externalId})`,
      openedAt: incidents.openedAt,
    })
    .from(incidents)
    .where(
      and(
        eq(incidents.repositoryId, d.repositoryId),
        gte(incidents.openedAt, from),
        lte(incidents.openedAt, to),
        or(isNull(incidents.linkedDeploymentId), ne(incidents.linkedDeploymentId, d.deployment.id)),
      ),
    )
    .orderBy(asc(incidents.openedAt))
    .limit(50);
  return { history, excludedPullRequests, linkable };
}
