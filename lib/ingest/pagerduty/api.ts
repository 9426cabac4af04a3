import type { PagerDutyConfig } from "@/lib/config/connectors";
import { type Env, SourceClient, type SourceClientOptions } from "@/lib/ingest/source/client";

/**
 * PagerDuty's REST API v2, the part we read: incidents (classic `limit`/`offset`/`more` pagination, at most
 * 10,000 rows per query and 6 months per `since`/`until` window), one incident, its notes and custom field values.
 * Authentication: `Authorization: Token token=<key>`; the Accept header pins the API version.
 */

export function pagerDutyClient(
  config: PagerDutyConfig,
  env: Env,
  extra: Partial<SourceClientOptions> = {},
): SourceClient {
  const token = env.PAGERDUTY_TOKEN?.trim();
  if (!token) throw new Error("PAGERDUTY_TOKEN is not set (a read-only REST API key)");
  return new SourceClient({
    name: "PagerDuty",
    baseUrl: config.apiUrl,
    headers: {
      authorization: `Token token=${token}`,
      accept: "application/vnd.pagerduty+json;version=2",
    },
    authHint:
      "check PAGERDUTY_TOKEN (a read-only REST API key: account key, or a user key that sees these services)",
    ...extra,
  });
}

export interface PdReference {
  id: string;
  summary?: string | null;
  type?: string;
}

export interface PdIncident {
  id: string;
  incident_number?: number;
  title?: string | null;
  status: "triggered" | "acknowledged" | "resolved";
  urgency?: "high" | "low";
  priority?: PdReference | null;
  service: PdReference;
  html_url?: string | null;
  created_at: string;
  /** Not in webhook payloads. */
  resolved_at?: string | null;
  last_status_change_at?: string | null;
}

export interface PdPage {
  incidents: PdIncident[];
  limit: number;
  offset: number;
  more: boolean;
}

/** PagerDuty refuses `offset + limit` above this (400): longer listings are split by time. */
export const MAX_OFFSET = 10_000;
export const PAGE = 100;
/** `since`/`until` may span at most 6 months; 180 days always fits. */
export const WINDOW_DAYS = 180;
