import type { PagerDutyConfig } from "@/lib/config/connectors";
import type { Db } from "@/lib/db";
import { causedByShaField, causedByShaIn } from "@/lib/domain/incidents";
import { openIncidentIds, upsertKeepingCauses } from "@/lib/ingest/incidents/stored";
import type { IncidentRecord } from "@/lib/ingest/records";
import type { SourceClient } from "@/lib/ingest/source/client";
import type { Stream, StreamPage } from "@/lib/ingest/source/stream";
import { MAX_OFFSET, PAGE, type PdIncident, type PdPage, WINDOW_DAYS } from "./api";
import { excluded, listFilters, mapIncident } from "./map";

/**
 * Two streams cover PagerDuty without re-reading history. `incidents`: incidents created since the last sync, in
 * windows of at most 6 months, oldest first; its cursor is where the next sync starts. `open incidents`: the ones
 * open now (one query), and each stored incident that was open but is no longer in that list, read once more to
 * learn its resolution. A quiet account costs one request each. Resolved incidents' notes (and a cause custom
 * field) are read once, when they are first seen resolved.
 */

export interface PdSync {
  db: Db;
  client: SourceClient;
  config: PagerDutyConfig;
  /** First-sync horizon. */
  since: Date;
  now: Date;
  skipped: (reason: string) => void;
}

interface Walk {
  since: string;
  until: string;
  /** Where this sync's walk ends (its start time): the next cursor. */
  end: string;
  offset: number;
}

const DAY = 86_400_000;
const plusDays = (iso: string, days: number, end: string) =>
  new Date(Math.min(Date.parse(iso) + days * DAY, Date.parse(end))).toISOString();

export const newIncidents: Stream<PdSync> = {
  resource: "incidents",
  async *pages(ctx, state) {
    const resumed = state.details.walk as Walk | undefined;
    const end = resumed?.end ?? ctx.now.toISOString();
    const start = state.cursor ?? ctx.since.toISOString();
    let walk: Walk = resumed ?? { since: start, until: plusDays(start, WINDOW_DAYS, end), end, offset: 0 };
    if (walk.since >= end) return;
    for (;;) {
      const r = await ctx.client.as("incidents").get<PdPage>("incidents", {
        query: {
          since: walk.since,
          until: walk.until,
          limit: PAGE,
          offset: walk.offset,
          sort_by: "created_at:asc",
          time_zone: "UTC",
          ...listFilters(ctx.config),
        },
      });
      const listed = r.data.incidents;
      let next: Walk | null;
      if (r.data.more && walk.offset + 2 * PAGE <= MAX_OFFSET) {
        next = { ...walk, offset: walk.offset + PAGE };
      } else if (r.data.more) {
        // 10,000 rows is all PagerDuty pages through: go on from the last creation time read (rows of that very
        // second are read again, harmlessly; a full page of one second moves on by a second).
        const last = listed.at(-1)?.created_at ?? walk.since;
        const since =
          Date.parse(last) > Date.parse(walk.since) ? last : plusDays(walk.since, 1 / 86_400, end);
        next = { ...walk, since: new Date(since).toISOString(), offset: 0 };
      } else if (walk.until < end) {
        next = { since: walk.until, until: plusDays(walk.until, WINDOW_DAYS, end), end, offset: 0 };
      } else next = null;
      yield await page(ctx, listed, next ? { details: { walk: next } } : { cursor: end, details: {} });
      if (!next) return;
      walk = next;
    }
  },
};

export const openIncidents: Stream<PdSync> = {
  resource: "open incidents",
  async *pages(ctx) {
    const open = new Set<string>();
    for (let offset = 0; ; offset += PAGE) {
      const r = await ctx.client.as("incidents").get<PdPage>("incidents", {
        query: {
          "statuses[]": ["triggered", "acknowledged"],
          date_range: "all",
          limit: PAGE,
          offset,
          time_zone: "UTC",
          ...listFilters(ctx.config),
        },
      });
      for (const i of r.data.incidents) open.add(i.id);
      yield await page(ctx, r.data.incidents, {});
      if (!r.data.more || offset + 2 * PAGE > MAX_OFFSET) break;
    }
    for (const id of await openIncidentIds(ctx.db, "pagerduty")) {
      if (open.has(id)) continue;
      const r = await ctx.client
        .as("incident")
        .get<{ incident: PdIncident }>(`incidents/${encodeURIComponent(id)}`, { accept: [404] });
      if (r.status === 404) {
        ctx.skipped(`incident ${id} is no longer in PagerDuty`);
        continue;
      }
      yield await page(ctx, [r.data.incident], {});
    }
  },
};

async function page(
  ctx: PdSync,
  listed: readonly PdIncident[],
  state: StreamPage["state"],
): Promise<StreamPage> {
  const kept = listed.filter((i) => {
    const why = excluded(ctx.config, i);
    if (why) ctx.skipped(why);
    return !why;
  });
  const records: IncidentRecord[] = [];
  for (const i of kept) {
    const cause = i.status === "resolved" ? await causeOf(ctx, i) : null;
    records.push(mapIncident(ctx.config, i, { cause }));
  }
  return { items: kept.length, write: (tx) => upsertKeepingCauses(tx, "pagerduty", records), state };
}

/** The commit a resolved incident names as its cause: the custom field, else its notes (the latest that names one). */
async function causeOf(ctx: PdSync, i: PdIncident): Promise<string | null> {
  const id = encodeURIComponent(i.id);
  if (ctx.config.causeField) {
    const r = await ctx.client
      .as("custom fields")
      .get<{ custom_fields: { name: string; value: unknown }[] }>(`incidents/${id}/custom_fields/values`);
    const field = r.data.custom_fields.find((f) => f.name === ctx.config.causeField);
    const value = Array.isArray(field?.value) ? field.value[0] : field?.value;
    const sha = causedByShaField(value);
    if (sha) return sha;
  }
  if (!ctx.config.notes) return null;
  const r = await ctx.client.as("notes").get<{ notes: { content: string }[] }>(`incidents/${id}/notes`);
  return (
    r.data.notes
      .map((n) => causedByShaIn(n.content))
      .filter((s): s is string => s !== null)
      .at(-1) ?? null
  );
}
