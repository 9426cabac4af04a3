import type { ThroughlineConfig } from "@/lib/config/schema";
import type { EnvironmentTier } from "@/lib/domain/vocabulary";
import type { DeploymentRecord } from "@/lib/ingest/records";
import { setEnvironmentTiers, upsertDeployments } from "@/lib/ingest/store";
import {
  deploymentOutcome,
  fromGqlDeployment,
  type GhDeployment,
  type GqlDeployment,
  mapDeployment,
} from "../map";
import { DEPLOYMENT_NODES, DEPLOYMENTS } from "../queries";
import { placeEnvironment, releaseLine } from "../rules";
import { commitPage, count, iso, type RepoSync, state } from "./context";

/**
 * GitHub's Deployments API: newest first, down to the last walk's watermark; deployments that were still in flight
 * are remembered by node id and re-read (100 per request) until they finish. Environment rules from the config
 * rename, tier, place (monorepo services) or drop each deployment.
 */

interface Walk {
  after: string | null;
  top: string | null;
  floor: string;
}

export async function syncDeployments(ctx: RepoSync): Promise<number> {
  const st = await state(ctx, "deployments");
  const watermark = st.cursor;
  const open = (st.details.open as string[] | undefined) ?? [];
  let walk = (st.details.walk as Walk | undefined) ?? null;
  const newest = ctx.probe?.newestDeployment?.createdAt ?? null;
  const changed = newest !== null && (!watermark || newest > watermark);
  if (!walk && !changed && open.length === 0) return 0;
  if (!walk && changed) walk = { after: null, top: null, floor: watermark ?? iso(ctx.since) };

  let total = 0;
  const stillOpen = new Set<string>();
  while (walk) {
    const current: Walk = walk;
    const { data }: { data: DeploymentsResult } = await ctx.client
      .as("deployments")
      .graphql<DeploymentsResult>(DEPLOYMENTS, {
        owner: ctx.repo.owner,
        name: ctx.repo.name,
        after: current.after,
      });
    const connection = data.repository?.deployments;
    if (!connection) break;
    const nodes = connection.nodes.filter((n) => n.createdAt >= current.floor);
    const done = nodes.length < connection.nodes.length || !connection.pageInfo.hasNextPage;
    const top = current.top ?? connection.nodes[0]?.createdAt ?? null;
    for (const n of nodes) if (isOpen(n)) stillOpen.add(n.id);
    count(ctx, "deployments", nodes.length);
    total += nodes.length;
    walk = done ? null : { ...current, after: connection.pageInfo.endCursor, top };
    await commitPage(
      ctx,
      "deployments",
      (tx) => write(tx, ctx, nodes),
      done
        ? { cursor: top ?? watermark, details: { open: [...open, ...stillOpen] } }
        : { details: { walk, open } },
    );
  }

  // Deployments in flight at the last sync: read them again until they have an outcome.
  const recheck = open.filter((id) => !stillOpen.has(id));
  for (let i = 0; i < recheck.length; i += 100) {
    const ids = recheck.slice(i, i + 100);
    const { data } = await ctx.client
      .as("deployments")
      .graphql<{ nodes: (GqlDeployment | null)[] }>(DEPLOYMENT_NODES, { ids });
    const nodes = data.nodes.filter((n): n is GqlDeployment => !!n && "commitOid" in n);
    for (const n of nodes) if (isOpen(n)) stillOpen.add(n.id);
    total += nodes.length;
    const remaining = [...stillOpen, ...recheck.slice(i + 100)];
    await commitPage(ctx, "deployments", (tx) => write(tx, ctx, nodes), { details: { open: remaining } });
  }
  return total;
}

function isOpen(n: GqlDeployment): boolean {
  const status = deploymentOutcome(fromGqlDeployment(n)).status;
  return status === "queued" || status === "in_progress";
}

async function write(
  tx: Parameters<Parameters<typeof commitPage>[2]>[0],
  ctx: RepoSync,
  nodes: GqlDeployment[],
) {
  await writeDeployments(tx, ctx.config, ctx.repo, nodes.map(fromGqlDeployment));
}

/**
 * GitHub deployments → records, through the config's environment rules (the poller and the webhooks both write
 * through here). A payload naming a service we do not know lands on the default service rather than failing.
 */
export async function writeDeployments(
  tx: Parameters<typeof upsertDeployments>[0],
  config: ThroughlineConfig,
  repo: { fullName: string; pathServices: { name: string }[] },
  list: GhDeployment[],
): Promise<DeploymentRecord[]> {
  const records: DeploymentRecord[] = [];
  const tiers: { name: string; tier: EnvironmentTier }[] = [];
  for (const d of list) {
    const named = d.service && repo.pathServices.some((s) => s.name === d.service) ? d.service : null;
    const place = placeEnvironment(config, repo.fullName, d.environment, named);
    if (!place) continue; // an ignored environment
    if (place.tier) tiers.push({ name: place.environment, tier: place.tier });
    records.push({
      ...mapDeployment(repo.fullName, d, place, config.bots),
      line: releaseLine(config, repo.fullName, d.ref),
    });
  }
  await upsertDeployments(tx, records);
  if (tiers.length) await setEnvironmentTiers(tx, tiers);
  return records;
}

interface DeploymentsResult {
  repository: {
    deployments: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GqlDeployment[] };
  } | null;
}
