import type { OpsgenieConfig } from "@/lib/config/connectors";
import { type Env, SourceClient, type SourceClientOptions } from "@/lib/ingest/source/client";

/**
 * Opsgenie's REST API, the part we read: incidents (v1, Incident Management) or alerts (v2), listed newest first
 * with `offset`/`limit` (≤ 100) and the next page's URL in `X-Paging-Next` (and the body's `paging.next`); one
 * incident or alert. Every answer is `{ data, took, requestId }`. EU accounts must use the EU host. Opsgenie ends
 * on 2027-04-05 (README § Opsgenie).
 */

export const OPSGENIE_HOSTS = { us: "https://api.opsgenie.com", eu: "https://api.eu.opsgenie.com" } as const;

export function opsgenieBaseUrl(config: Pick<OpsgenieConfig, "region" | "apiUrl">): string {
  return config.apiUrl ?? OPSGENIE_HOSTS[config.region];
}

export function opsgenieClient(
  config: OpsgenieConfig,
  env: Env,
  extra: Partial<SourceClientOptions> = {},
): SourceClient {
  const key = env.OPSGENIE_API_KEY?.trim();
  if (!key) throw new Error("OPSGENIE_API_KEY is not set (an API integration's key with read access)");
  return new SourceClient({
    name: "Opsgenie",
    baseUrl: opsgenieBaseUrl(config),
    headers: { authorization: `GenieKey ${key}` },
    authHint: `check OPSGENIE_API_KEY (an API integration's key with Read access) and the region (${config.region})`,
    ...extra,
  });
}

export interface OgResponder {
  type: string;
  id: string;
  name?: string;
}

/** An incident (v1) or an alert (v2): the fields both have, and each one's own. */
export interface OgItem {
  id: string;
  tinyId?: string;
  message?: string;
  description?: string | null;
  status: string;
  tags?: string[];
  createdAt: string;
  updatedAt?: string;
  priority?: string;
  responders?: OgResponder[];
  // incidents
  ownerTeam?: string;
  impactedServices?: string[];
  impactStartDate?: string | null;
  impactEndDate?: string | null;
  extraProperties?: Record<string, string>;
  links?: { web?: string; api?: string };
  // alerts
  report?: { ackTime?: number; closeTime?: number };
  details?: Record<string, string>;
}

export interface OgList {
  data: OgItem[];
  took: number;
  requestId: string;
  paging?: { next?: string; first?: string; last?: string };
}

export const OG_PAGE = 100;
