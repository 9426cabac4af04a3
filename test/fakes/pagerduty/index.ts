import { type FakeHttp, type FakeReply, type FakeRequest, startFakeHttp } from "@/test/fakes/http/server";

/**
 * A local PagerDuty REST API v2 for incidents, answering as PagerDuty documents it (PagerDuty/api-schema
 * openapiv3.json, developer-docs REST-API/*): `Token token=` auth; `GET /incidents` with `since`/`until` (at most 6
 * months apart; created in the window), `date_range=all`, `statuses[]`, `service_ids[]`, `urgencies[]`, `sort_by`,
 * classic `limit`/`offset`/`more` pagination (limit ≤ 100, offset + limit ≤ 10,000, else 400); one incident, its
 * notes and custom field values; the error envelope `{"error":{"message","code"}}`; a rate-limit budget with
 * `ratelimit-*` headers (reset in seconds) and 429 code 2020 when spent.
 */

export const PD_TOKEN = "u+pd-readonly-key-0123456789";

export interface FakeService {
  id: string;
  name: string;
}

export interface FakeIncident {
  id: string;
  number: number;
  title: string;
  service: FakeService;
  urgency: "high" | "low";
  priority?: "P1" | "P2" | "P3" | "P4" | "P5" | null;
  createdAt: string;
  acknowledgedAt?: string | null;
  resolvedAt?: string | null;
  notes?: { content: string; at: string }[];
  customFields?: Record<string, string | string[] | null>;
}

export class PagerDutyModel {
  readonly incidents: FakeIncident[] = [];
  private seq = 0;

  add(i: Omit<FakeIncident, "id" | "number"> & { id?: string }): FakeIncident {
    this.seq++;
    const incident = { ...i, id: i.id ?? `Q${String(this.seq).padStart(6, "0")}`, number: this.seq };
    this.incidents.push(incident);
    return incident;
  }

  get(id: string): FakeIncident {
    const i = this.incidents.find((x) => x.id === id);
    if (!i) throw new Error(`no incident ${id}`);
    return i;
  }
}

const error = (status: number, code: number, message: string, errors?: string[]): FakeReply => ({
  status,
  body: { error: { message, code, ...(errors ? { errors } : {}) } },
});

function status(i: FakeIncident): "triggered" | "acknowledged" | "resolved" {
  return i.resolvedAt ? "resolved" : i.acknowledgedAt ? "acknowledged" : "triggered";
}

export function incidentJson(base: string, i: FakeIncident): Record<string, unknown> {
  const st = status(i);
  const lastChange = i.resolvedAt ?? i.acknowledgedAt ?? i.createdAt;
  return {
    id: i.id,
    type: "incident",
    summary: `[#${i.number}] ${i.title}`,
    self: `${base}/incidents/${i.id}`,
    html_url: `https://acme.pagerduty.com/incidents/${i.id}`,
    incident_number: i.number,
    title: i.title,
    created_at: i.createdAt,
    updated_at: lastChange,
    status: st,
    incident_key: `key-${i.id}`,
    service: {
      id: i.service.id,
      type: "service_reference",
      summary: i.service.name,
      self: `${base}/services/${i.service.id}`,
      html_url: `https://acme.pagerduty.com/service-directory/${i.service.id}`,
    },
    assignments: [],
    assigned_via: "escalation_policy",
    last_status_change_at: lastChange,
    resolved_at: i.resolvedAt ?? null,
    alert_counts: { all: 1, triggered: st === "resolved" ? 0 : 1, resolved: st === "resolved" ? 1 : 0 },
    is_mergeable: true,
    incident_type: { name: "incident_default" },
    escalation_policy: { id: "PT20YPA", type: "escalation_policy_reference", summary: "Default" },
    teams: [],
    pending_actions: [],
    acknowledgements: i.acknowledgedAt ? [{ at: i.acknowledgedAt }] : [],
    priority: i.priority
      ? {
          id: `PRI${i.priority}`,
          type: "priority_reference",
          summary: i.priority,
          self: `${base}/priorities/PRI${i.priority}`,
        }
      : null,
    resolve_reason: null,
    incidents_responders: [],
    responder_requests: [],
    urgency: i.urgency,
  };
}

const SIX_MONTHS = (since: Date) => {
  const d = new Date(since);
  d.setUTCMonth(d.getUTCMonth() + 6);
  return d;
};

export interface FakePagerDuty extends FakeHttp {
  model: PagerDutyModel;
}

export async function startFakePagerDuty(
  model = new PagerDutyModel(),
  o: { rateLimit?: number; now?: () => Date } = {},
): Promise<FakePagerDuty> {
  const now = o.now ?? (() => new Date());
  let base = "";
  const list = (req: FakeRequest): FakeReply => {
    const q = req.query;
    const limit = Math.min(Number(q.get("limit") ?? 25), 100);
    const offset = Number(q.get("offset") ?? 0);
    if (offset + limit > 10_000) {
      return error(400, 2001, "Invalid Input Provided", ["Offset must be less than or equal to 10000"]);
    }
    let rows = [...model.incidents];
    if (q.get("date_range") !== "all") {
      const until = q.get("until") ? new Date(q.get("until") as string) : now();
      const since = q.get("since")
        ? new Date(q.get("since") as string)
        : new Date(until.getTime() - 30 * 86_400_000);
      if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime())) {
        return error(400, 2004, "Invalid time values in 'since' and/or 'until' parameters");
      }
      if (until > SIX_MONTHS(since) || until < since) return error(400, 2005, "Invalid Query Date Range");
      rows = rows.filter(
        (i) => Date.parse(i.createdAt) >= since.getTime() && Date.parse(i.createdAt) < until.getTime(),
      );
    }
    const statuses = q.getAll("statuses[]");
    if (statuses.length) rows = rows.filter((i) => statuses.includes(status(i)));
    const services = q.getAll("service_ids[]");
    if (services.length) rows = rows.filter((i) => services.includes(i.service.id));
    const urgencies = q.getAll("urgencies[]");
    if (urgencies.length) rows = rows.filter((i) => urgencies.includes(i.urgency));
    const desc = (q.get("sort_by") ?? q.get("sort_by[]") ?? "").endsWith(":desc");
    rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.number - b.number);
    if (desc) rows.reverse();
    return {
      body: {
        incidents: rows.slice(offset, offset + limit).map((i) => incidentJson(base, i)),
        limit,
        offset,
        more: offset + limit < rows.length,
        total: q.get("total") === "true" ? rows.length : null,
      },
    };
  };
  const one = (id: string) => model.incidents.find((i) => i.id === id);
  const fake = await startFakeHttp({
    routes: [
      { method: "GET", path: "/incidents", handle: list },
      {
        method: "GET",
        path: "/incidents/:id",
        handle: (_r, p) => {
          const i = one(p.id as string);
          return i ? { body: { incident: incidentJson(base, i) } } : error(404, 2100, "Not Found");
        },
      },
      {
        method: "GET",
        path: "/incidents/:id/notes",
        handle: (_r, p) => {
          const i = one(p.id as string);
          if (!i) return error(404, 2100, "Not Found");
          return {
            body: {
              notes: (i.notes ?? []).map((n, k) => ({
                id: `N${k}${i.id}`,
                user: { id: "PXPGF42", type: "user_reference", summary: "Ana" },
                channel: { summary: "The PagerDuty website or APIs" },
                content: n.content,
                created_at: n.at,
                updated_at: n.at,
              })),
            },
          };
        },
      },
      {
        method: "GET",
        path: "/incidents/:id/custom_fields/values",
        handle: (_r, p) => {
          const i = one(p.id as string);
          if (!i) return error(404, 2100, "Not Found");
          return {
            body: {
              custom_fields: Object.entries(i.customFields ?? {}).map(([name, value], k) => ({
                id: `F${k}`,
                type: "field_value",
                name,
                display_name: name,
                data_type: "string",
                field_type: Array.isArray(value) ? "multi_value" : "single_value",
                value,
              })),
            },
          };
        },
      },
    ],
    authorize: (req) =>
      req.headers.authorization === `Token token=${PD_TOKEN}`
        ? null
        : { status: 401, body: { error: { message: "Authentication failed", code: 2006 } } },
    rateLimit: {
      limit: o.rateLimit ?? 960,
      windowSeconds: 60,
      headers: (s) => ({
        "ratelimit-limit": String(s.limit),
        "ratelimit-remaining": String(s.remaining),
        "ratelimit-reset": String(Math.max(0, s.resetAt - Math.floor(Date.now() / 1000))),
      }),
      exhausted: () => ({ status: 429, body: { error: { message: "Rate Limit Exceeded", code: 2020 } } }),
    },
    etags: false,
    notFound: () => error(404, 2100, "Not Found"),
  });
  base = fake.url;
  return Object.assign(fake, { model });
}
