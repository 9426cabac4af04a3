import { randomUUID } from "node:crypto";
import { type FakeHttp, type FakeReply, type FakeRequest, startFakeHttp } from "@/test/fakes/http/server";

/**
 * A local Opsgenie (US or EU host alike) answering as opsgenie/opsgenie-oas and docs.opsgenie.com describe: the
 * `{ data, took, requestId }` envelope, `GenieKey` auth, `GET /v1/incidents/` (query required) and `GET /v2/alerts`
 * with `query`, `offset`, `limit` (≤ 100), `sort`, `order`, next/first/last page URLs in `X-Paging-*` headers and
 * the body's `paging`; one incident or alert; rate limiting with `X-RateLimit-State: THROTTLED` and
 * `X-RateLimit-Period-In-Sec`. The query language is the part we use: `field:value` terms joined by OR.
 */

export const OG_KEY = "eb243592-faa2-4ba2-a551-1afdf565c889";

export interface FakeOgIncident {
  id: string;
  message: string;
  description?: string;
  status: "open" | "resolved" | "closed";
  priority: string;
  tags?: string[];
  impactedServices?: string[];
  ownerTeam?: string;
  createdAt: string;
  updatedAt?: string;
  impactEndDate?: string;
  extraProperties?: Record<string, string>;
}

export interface FakeOgAlert {
  id: string;
  message: string;
  status: "open" | "closed";
  priority: string;
  tags?: string[];
  teams?: string[];
  createdAt: string;
  /** ms after creation (report.closeTime). */
  closeTime?: number;
}

export class OpsgenieModel {
  readonly incidents: FakeOgIncident[] = [];
  readonly alerts: FakeOgAlert[] = [];
}

const envelope = (data: unknown, extra: Record<string, unknown> = {}) => ({
  data,
  took: 0.012,
  requestId: randomUUID(),
  ...extra,
});

function incidentJson(base: string, i: FakeOgIncident) {
  return {
    id: i.id,
    tinyId: String(Number.parseInt(i.id.slice(-4), 16) % 1000),
    message: i.message,
    description: i.description ?? "",
    status: i.status,
    isSeen: true,
    tags: i.tags ?? [],
    createdAt: i.createdAt,
    updatedAt: i.updatedAt ?? i.createdAt,
    source: "opsgenie",
    owner: "",
    priority: i.priority,
    responders: i.ownerTeam ? [{ type: "team", id: i.ownerTeam }] : [],
    ownerTeam: i.ownerTeam ?? "",
    impactedServices: i.impactedServices ?? [],
    extraProperties: i.extraProperties ?? {},
    links: {
      web: `https://acme.app.opsgenie.com/incident/detail/${i.id}`,
      api: `${base}/v1/incidents/${i.id}`,
    },
    impactStartDate: i.createdAt,
    ...(i.impactEndDate ? { impactEndDate: i.impactEndDate } : {}),
    actions: [],
  };
}

function alertJson(a: FakeOgAlert) {
  return {
    id: a.id,
    tinyId: "17",
    alias: a.id,
    message: a.message,
    status: a.status,
    acknowledged: a.status === "closed",
    isSeen: true,
    tags: a.tags ?? [],
    snoozed: false,
    count: 1,
    lastOccurredAt: a.createdAt,
    createdAt: a.createdAt,
    updatedAt: a.createdAt,
    source: "Datadog",
    owner: "",
    priority: a.priority,
    responders: (a.teams ?? []).map((t) => ({ type: "team", id: `team-${t}` })),
    integration: { id: "i-1", name: "Datadog", type: "Datadog" },
    report: a.closeTime !== undefined ? { ackTime: 60_000, closeTime: a.closeTime, closedBy: "ana" } : {},
  };
}

/** `status:open OR priority:P1`: true when any term matches. */
function matches(query: string, row: Record<string, unknown>): boolean | "invalid" {
  const terms = query.split(/\s+OR\s+/);
  let any = false;
  for (const term of terms) {
    const m = /^\s*(\w+)\s*:\s*(\S+)\s*$/.exec(term);
    if (!m) return "invalid";
    const [, field, value] = m as unknown as [string, string, string];
    if (!["status", "priority", "tag", "impactedServices"].includes(field)) return "invalid";
    const v = field === "tag" ? row.tags : row[field];
    if (Array.isArray(v) ? v.includes(value) : v === value) any = true;
  }
  return any;
}

export interface FakeOpsgenie extends FakeHttp {
  model: OpsgenieModel;
}

export async function startFakeOpsgenie(
  model = new OpsgenieModel(),
  o: { rateLimit?: number } = {},
): Promise<FakeOpsgenie> {
  let base = "";
  const listing =
    (kind: "incidents" | "alerts") =>
    (req: FakeRequest): FakeReply => {
      const q = req.query;
      const query = q.get("query");
      if (kind === "incidents" && !query)
        return { status: 422, body: envelope(undefined, { message: "Query is required" }) };
      const limit = Number(q.get("limit") ?? 20);
      const offset = Number(q.get("offset") ?? 0);
      if (!(limit >= 1 && limit <= 100)) {
        return {
          status: 422,
          body: { message: "Limit should be between 1 and 100", took: 0.001, requestId: randomUUID() },
        };
      }
      const rows =
        kind === "incidents"
          ? model.incidents.map((i) => incidentJson(base, i) as Record<string, unknown>)
          : model.alerts.map((a) => alertJson(a) as Record<string, unknown>);
      const selected: Record<string, unknown>[] = [];
      for (const r of rows) {
        const m = query ? matches(query, r) : true;
        if (m === "invalid")
          return { status: 422, body: { message: "Invalid query", took: 0.001, requestId: randomUUID() } };
        if (m) selected.push(r);
      }
      selected.sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
      if ((q.get("order") ?? "desc") === "desc") selected.reverse();
      const page = (n: number) => {
        const u = new URL(`${base}${req.path}`);
        for (const [k, v] of q) u.searchParams.set(k, v);
        u.searchParams.set("offset", String(n));
        u.searchParams.set("limit", String(limit));
        return u.toString();
      };
      const next = offset + limit < selected.length ? page(offset + limit) : undefined;
      const last = page(Math.max(0, Math.floor((selected.length - 1) / limit) * limit));
      return {
        body: envelope(selected.slice(offset, offset + limit), {
          paging: { ...(next ? { next } : {}), first: page(0), last },
        }),
        headers: {
          ...(next ? { "x-paging-next": next } : {}),
          "x-paging-first": page(0),
          "x-paging-last": last,
        },
      };
    };
  const single =
    (kind: "incidents" | "alerts") =>
    (_req: FakeRequest, p: Record<string, string>): FakeReply => {
      const row =
        kind === "incidents"
          ? model.incidents.find((i) => i.id === p.id)
          : model.alerts.find((a) => a.id === p.id);
      if (!row)
        return {
          status: 404,
          body: {
            message: `${kind === "incidents" ? "Incident" : "Alert"} does not exist`,
            took: 0.001,
            requestId: randomUUID(),
          },
        };
      return {
        body: envelope(
          kind === "incidents" ? incidentJson(base, row as FakeOgIncident) : alertJson(row as FakeOgAlert),
        ),
      };
    };
  const fake = await startFakeHttp({
    routes: [
      { method: "GET", path: "/v1/incidents/", handle: listing("incidents") },
      { method: "GET", path: "/v1/incidents", handle: listing("incidents") },
      { method: "GET", path: "/v1/incidents/:id", handle: single("incidents") },
      { method: "GET", path: "/v2/alerts", handle: listing("alerts") },
      { method: "GET", path: "/v2/alerts/:id", handle: single("alerts") },
    ],
    authorize: (req) =>
      req.headers.authorization === `GenieKey ${OG_KEY}`
        ? null
        : { status: 401, body: { message: "Could not authenticate", took: 0.001, requestId: randomUUID() } },
    rateLimit: {
      limit: o.rateLimit ?? 1_000,
      windowSeconds: 60,
      headers: (s): Record<string, string> =>
        s.remaining > 0
          ? { "x-ratelimit-state": "OK" }
          : {
              "x-ratelimit-state": "THROTTLED",
              "x-ratelimit-reason": "ACCOUNT",
              "x-ratelimit-period-in-sec": "60",
            },
      exhausted: () => ({
        status: 429,
        body: { message: "Too many requests", took: 0.001, requestId: randomUUID() },
      }),
    },
    etags: false,
    notFound: () => ({ status: 404, body: { message: "Not found", took: 0.001, requestId: randomUUID() } }),
  });
  base = fake.url;
  return Object.assign(fake, { model });
}
