import type { ThroughlineConfig } from "@/lib/config/schema";
import type { DeploymentRecord } from "@/lib/ingest/records";
import { upsertDeployments } from "@/lib/ingest/store";
import { RELEASES, TAGS } from "../queries";
import { placeEnvironment, releaseLine, ruleForTag, rulesFor } from "../rules";
import { commitPage, count, iso, type RepoSync, state } from "./context";

/**
 * Deployments by rule for teams that release by tag: a published release whose tag matches (at its publication
 * time), or a tag that matches (at its tagger's time for an annotated tag, else its commit's). Newest first, down
 * to the last sync's newest; only when the config has such a rule for the repository.
 */
export async function syncReleases(ctx: RepoSync): Promise<number> {
  const rules = rulesFor(ctx.config, ctx.repo.fullName);
  let total = 0;
  if (rules.some((r) => r.release)) total += await walk(ctx, "releases");
  if (rules.some((r) => r.tag || r.tagRegex)) total += await walk(ctx, "tags");
  return total;
}

export interface TagItem {
  name: string;
  sha: string;
  at: string;
  bot: boolean;
  url: string | null;
}

async function walk(ctx: RepoSync, kind: "releases" | "tags"): Promise<number> {
  const st = await state(ctx, kind);
  const floor = st.cursor ?? iso(ctx.since);
  if (
    kind === "releases" &&
    st.cursor &&
    ctx.probe?.newestRelease &&
    ctx.probe.newestRelease.createdAt <= st.cursor
  )
    return 0;
  let after: string | null = null;
  let top: string | null = null;
  let total = 0;
  for (;;) {
    const page: { items: TagItem[]; next: string | null } =
      kind === "releases" ? await releases(ctx, after) : await tags(ctx, after);
    const items = page.items.filter((i) => i.at >= floor);
    top ??= page.items[0]?.at ?? null;
    const done = items.length < page.items.length || !page.next;
    const records = items.flatMap((item) => {
      const record = tagDeployment(
        ctx.config,
        ctx.repo.fullName,
        kind === "releases" ? "release" : "tag",
        item,
      );
      return record ? [record] : [];
    });
    count(ctx, kind, items.length);
    total += items.length;
    await commitPage(
      ctx,
      kind,
      (tx) => upsertDeployments(tx, records).then(() => {}),
      done ? { cursor: top ?? st.cursor } : {},
    );
    if (done) break;
    after = page.next;
  }
  return total;
}

/**
 * A release or a tag as a deployment, when a rule says so (the pollers and the webhooks of GitHub and GitLab all use
 * this): live at the release's publication, or the tag's time.
 */
export function tagDeployment(
  config: Pick<ThroughlineConfig, "deployments">,
  repository: string,
  kind: "release" | "tag",
  item: TagItem,
  source: "github" | "gitlab" = "github",
): DeploymentRecord | null {
  const rule = ruleForTag(rulesFor(config, repository), kind, item.name);
  const place = rule && placeEnvironment(config, repository, rule.environment, rule.service ?? null);
  if (!place) return null;
  return {
    repository,
    service: place.service,
    environment: place.environment,
    sha: item.sha,
    ref: item.name,
    status: "success",
    createdAt: item.at,
    startedAt: item.at,
    finishedAt: item.at,
    source,
    externalId: `${kind}:${item.name}`,
    url: item.url,
    trigger: item.bot ? "ci" : "unknown",
    line: releaseLine(config, repository, item.name),
  };
}

async function releases(ctx: RepoSync, after: string | null) {
  const { data } = await ctx.client.as("releases").graphql<{
    repository: {
      releases: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: {
          tagName: string;
          createdAt: string;
          publishedAt: string | null;
          isDraft: boolean;
          url: string;
          author: { __typename: string } | null;
          tagCommit: { oid: string } | null;
        }[];
      };
    } | null;
  }>(RELEASES, { owner: ctx.repo.owner, name: ctx.repo.name, after });
  const c = data.repository?.releases;
  return {
    items: (c?.nodes ?? [])
      .filter((r) => !r.isDraft && r.tagCommit)
      .map((r) => ({
        name: r.tagName,
        sha: (r.tagCommit as { oid: string }).oid.toLowerCase(),
        at: r.publishedAt ?? r.createdAt,
        bot: r.author?.__typename === "Bot",
        url: r.url,
      })),
    next: c?.pageInfo.hasNextPage ? c.pageInfo.endCursor : null,
  };
}

async function tags(ctx: RepoSync, after: string | null) {
  type Target = {
    __typename: string;
    oid?: string;
    committedDate?: string;
    tagger?: { date: string | null } | null;
    target?: Target;
  };
  const { data } = await ctx.client.as("tags").graphql<{
    repository: {
      refs: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { name: string; target: Target | null }[];
      };
    } | null;
  }>(TAGS, { owner: ctx.repo.owner, name: ctx.repo.name, after });
  const c = data.repository?.refs;
  const items: TagItem[] = [];
  for (const ref of c?.nodes ?? []) {
    const t = ref.target;
    const commit = t?.__typename === "Tag" ? t.target : t;
    if (!commit?.oid) continue;
    const at = (t?.__typename === "Tag" ? t.tagger?.date : null) ?? commit.committedDate;
    if (!at) continue;
    items.push({ name: ref.name, sha: commit.oid.toLowerCase(), at, bot: false, url: null });
  }
  return { items, next: c?.pageInfo.hasNextPage ? c.pageInfo.endCursor : null };
}
