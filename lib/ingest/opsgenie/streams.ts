import type { OpsgenieConfig } from "@/lib/config/connectors";
import type { Db } from "@/lib/db";
import { openIncidentIds, upsertKeepingCauses } from "@/lib/ingest/incidents/stored";
import type { IncidentRecord } from "@/lib/ingest/records";
import type { SourceClient, SourceResponse } from "@/lib/ingest/source/client";
import type { Stream, StreamPage } from "@/lib/ingest/source/stream";
import { OG_PAGE, type OgItem, type OgList } from "./api";
import { mapItem, type OgKind, placeItem } from "./map";

/**
 * Two streams, as for PagerDuty. `new`: incidents (or alerts) newest first, following `X-Paging-Next`, down to the
 * newest one the last sync read (its cursor); a walk in progress keeps its next page and resumes there. `open`:
 * what is open now (`status:open`), and each stored open one that is no longer listed, read once more for its
 * close time. A quiet account costs one request each.
 */

export interface OgSync {
  db: Db;
  client: SourceClient;
  config: OpsgenieConfig;
  kind: OgKind;
  since: Date;
  skipped: (reason: string) => void;
}

interface Walk {
  next: string;
  /** Items created at or before this were read by an earlier sync. */
  stop: string | null;
  top: string | null;
}

const PATHS = { incidents: "v1/incidents/", alerts: "v2/alerts" } as const;

/** Incidents need a query; alerts take one to keep to the priorities that count. */
function allQuery(o: OgSync): string | undefined {
  if (o.kind === "incidents") return "status:open OR status:resolved OR status:closed";
  return o.config.priorities?.map((p) => `priority:${p}`).join(" OR ");
}

function list(o: OgSync, query: string | undefined) {
  return o.client
    .url(PATHS[o.kind], { query, offset: 0, limit: OG_PAGE, sort: "createdAt", order: "desc" })
    .toString();
}

function nextPage(r: SourceResponse<OgList>): string | null {
  return r.headers.get("x-paging-next") ?? r.data.paging?.next ?? null;
}

export const newItems: Stream<OgSync> = {
  resource: "new",
  async *pages(ctx, state) {
    const resumed = state.details.walk as Walk | undefined;
    const walk: Walk = resumed ?? { next: list(ctx, allQuery(ctx)), stop: state.cursor, top: state.cursor };
    for (;;) {
      const r = await ctx.client.as(ctx.kind).get<OgList>(walk.next);
      const listed = r.data.data;
      const fresh = listed.filter(
        (i) =>
          (walk.stop === null || i.createdAt > walk.stop) &&
          (walk.stop !== null || i.createdAt >= ctx.since.toISOString()),
      );
      for (const i of fresh) if (!walk.top || i.createdAt > walk.top) walk.top = i.createdAt;
      const next = nextPage(r);
      const end = !next || fresh.length < listed.length;
      yield page(
        ctx,
        fresh,
        end ? { cursor: walk.top, details: {} } : { details: { walk: { ...walk, next } } },
      );
      if (end) return;
      walk.next = next;
    }
  },
};

export const openItems: Stream<OgSync> = {
  resource: "open",
  async *pages(ctx) {
    const open = new Set<string>();
    for (let url: string | null = list(ctx, "status:open"); url; ) {
      const r: SourceResponse<OgList> = await ctx.client.as(ctx.kind).get<OgList>(url);
      for (const i of r.data.data) open.add(i.id);
      yield page(ctx, r.data.data, {});
      url = nextPage(r);
    }
    for (const id of await openIncidentIds(ctx.db, "opsgenie")) {
      if (open.has(id)) continue;
      const r = await ctx.client
        .as(ctx.kind === "incidents" ? "incident" : "alert")
        .get<{ data: OgItem }>(`${PATHS[ctx.kind].replace(/\/$/, "")}/${encodeURIComponent(id)}`, {
          query: { identifierType: "id" },
          accept: [404],
        });
      if (r.status === 404) {
        ctx.skipped(`${id} is no longer in Opsgenie`);
        continue;
      }
      yield page(ctx, [r.data.data], {});
    }
  },
};

function page(ctx: OgSync, items: readonly OgItem[], state: StreamPage["state"]): StreamPage {
  const records: IncidentRecord[] = [];
  for (const i of items) {
    const place = placeItem(ctx.config, i);
    if ("excluded" in place) ctx.skipped(place.excluded);
    else records.push(mapItem(ctx.config, ctx.kind, i, place));
  }
  return { items: records.length, write: (tx) => upsertKeepingCauses(tx, "opsgenie", records), state };
}
