import type { Tx } from "@/lib/db";
import { type TagItem, tagDeployment } from "@/lib/ingest/github/sync/releases";
import type { DeploymentRecord } from "@/lib/ingest/records";
import { nextLink } from "@/lib/ingest/source/paginate";
import type { Stream } from "@/lib/ingest/source/stream";
import { upsertDeployments } from "@/lib/ingest/store";
import { type GlRelease, type GlTag, PER_PAGE, projectId } from "./api";
import { after, iso, type ProjectSync } from "./context";
import { SOURCE } from "./map";

/**
 * Deployments by rule, for teams without GitLab environments (README § GitLab): a release whose tag matches or a
 * tag that matches. Each list is read newest first down to what the last sync saw; only when the config has such a
 * rule for the project. Job and pipeline-source rules ride on the pipelines stream (./ci.ts).
 */

const p = (ctx: ProjectSync) => `projects/${projectId(ctx.project.path)}`;

/** Newest first down to the stored cursor (an instant or a job id): the cursor moves when the walk ends. */
async function* newestFirst<T>(
  ctx: ProjectSync,
  resource: string,
  state: { cursor: string | null; details: Record<string, unknown> },
  first: { path: string; query: Record<string, string | number | readonly string[]> },
  o: { key: (item: T) => string | null; isNew: (key: string, floor: string) => boolean; floor: string },
  toRecords: (items: T[]) => DeploymentRecord[],
) {
  let url = (state.details.next as string | undefined) ?? null;
  let top = (state.details.top as string | undefined) ?? null;
  for (;;) {
    const r = await ctx.client.as(resource).get<T[]>(url ?? first.path, { query: url ? {} : first.query });
    const listed = r.data ?? [];
    const fresh = listed.filter((i) => {
      const k = o.key(i);
      return k !== null && o.isNew(k, o.floor);
    });
    top ??= listed.map(o.key).find((k) => k !== null) ?? null;
    url = nextLink(r.headers.get("link"));
    const done = !url || fresh.length < listed.length;
    if (fresh.length === 0 && done && !state.details.next) return; // nothing new: nothing to commit
    const records = toRecords(fresh);
    yield {
      items: fresh.length,
      write: (tx: Tx) => upsertDeployments(tx, records).then(() => {}),
      state: done ? { cursor: top ?? state.cursor, details: {} } : { details: { next: url, top } },
    };
    if (done) return;
  }
}

const byTime = (k: string, floor: string) => after(k, floor);

export const releasesStream: Stream<ProjectSync> = {
  resource: "releases",
  async *pages(ctx, state) {
    const floor = state.cursor ?? iso(ctx.since);
    if (!state.details.next && !after(ctx.probe.newestReleaseAt, floor)) return;
    yield* newestFirst<GlRelease>(
      ctx,
      "releases",
      state,
      { path: `${p(ctx)}/releases`, query: { order_by: "released_at", sort: "desc", per_page: PER_PAGE } },
      { key: (r) => r.released_at ?? r.created_at, isNew: byTime, floor },
      (items) =>
        items.flatMap((r) => {
          if (r.upcoming_release || !r.commit) return [];
          const item: TagItem = {
            name: r.tag_name,
            sha: r.commit.id.toLowerCase(),
            at: r.released_at ?? r.created_at,
            bot: r.author?.bot ?? false,
            url: r._links?.self ?? null,
          };
          return tagDeployment(ctx.config, ctx.project.path, "release", item, SOURCE) ?? [];
        }),
    );
  },
};

/** A tag's time: when an annotated tag was made, else its commit's time. */
const tagAt = (t: GlTag) => t.created_at ?? t.commit?.committed_date ?? null;

export const tagsStream: Stream<ProjectSync> = {
  resource: "tags",
  async *pages(ctx, state) {
    yield* newestFirst<GlTag>(
      ctx,
      "tags",
      state,
      { path: `${p(ctx)}/repository/tags`, query: { order_by: "updated", sort: "desc", per_page: PER_PAGE } },
      { key: tagAt, isNew: byTime, floor: state.cursor ?? iso(ctx.since) },
      (items) =>
        items.flatMap((t) => {
          const at = tagAt(t);
          if (!t.commit || !at) return [];
          const item: TagItem = { name: t.name, sha: t.commit.id.toLowerCase(), at, bot: false, url: null };
          return tagDeployment(ctx.config, ctx.project.path, "tag", item, SOURCE) ?? [];
        }),
    );
  },
};
