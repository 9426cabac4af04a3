import type { DeploymentRow } from "@/lib/deployments";
import { formatDurationLong, formatLocalDate } from "@/lib/format";
import type { Report } from "@/lib/reports/types";

/**
 * What a delivery says, whatever carries it (e-mail body, Slack, Teams): the report's five figures with a change only
 * where the report calls it clear, its "In brief" sentences, the failed deployments of the period, and a link back.
 * CALMS results are never part of it: a digest goes to a channel, and hidden results must stay hidden.
 */

export interface DigestMetric {
  name: string;
  value: string;
  band: string | null;
  /** Only a clear change ("better"/"worse" in the report); null when flat, unclear or without data. */
  change: string | null;
  tone: "better" | "worse" | null;
  sample: string;
}

export interface DigestFailure {
  /** "acme/checkout · checkout-web @ 3f9a2c1 on 24 Nov" */
  label: string;
  /** "rollback; recovered in 2 hours" */
  detail: string;
  url: string | null;
}

export interface Digest {
  title: string;
  /** "24 Nov – 30 Nov 2026, compared with 17 Nov – 23 Nov 2026" */
  period: string;
  metrics: DigestMetric[];
  inBrief: string[];
  failures: DigestFailure[];
  /** Failed deployments beyond those listed. */
  moreFailures: number;
  /** The report's page, when the server's public URL is known (AUTH_URL). */
  link: string | null;
}

export const MAX_FAILURES = 5;

export function toDigest(
  report: Report,
  failed: { rows: DeploymentRow[]; total: number },
  baseUrl: string | null,
): Digest {
  const p = report.periods;
  const base = baseUrl?.replace(/\/+$/, "") ?? null;
  const query = new URLSearchParams({
    ...(report.team ? { team: report.team.slug } : {}),
    period: p.period.spec,
  });
  return {
    title: `${report.title}: ${p.period.label}`,
    period: `${p.period.dates}, compared with ${p.previous.dates}`,
    metrics: report.summary.map((m) => {
      const clear = m.direction === "better" || m.direction === "worse";
      return {
        name: m.name,
        value: m.value,
        band: m.band ? m.band.charAt(0).toUpperCase() + m.band.slice(1) : null,
        change: clear ? m.change : null,
        tone: clear ? (m.direction as "better" | "worse") : null,
        sample: m.sample,
      };
    }),
    inBrief: report.narrative.map((s) => s.text),
    failures: failed.rows.slice(0, MAX_FAILURES).map((d) => ({
      label: `${d.repository}${d.serviceIsDefault ? "" : ` · ${d.service}`} @ ${d.sha.slice(0, 7)} on ${formatLocalDate(
        (d.finishedAt ?? d.createdAt).slice(0, 10),
      )}`,
      detail: `${d.failureReasons.join(", ") || "failed"}; ${
        d.recoverySeconds === null ? "not recovered" : `recovered in ${formatDurationLong(d.recoverySeconds)}`
      }`,
      url: base ? `${base}/deployments/${d.id}` : null,
    })),
    moreFailures: Math.max(0, failed.total - MAX_FAILURES),
    link: base ? `${base}/reports/view?${query}` : null,
  };
}

const ARROW = { better: "▲", worse: "▼" } as const;

/** One line per metric: "Deployment frequency: 4.2 / week (Elite), ▲ +12% better". */
export function metricLine(m: DigestMetric): string {
  const band = m.band ? ` (${m.band})` : "";
  const change = m.change && m.tone ? `, ${ARROW[m.tone]} ${m.change} ${m.tone}` : "";
  return `${m.name}: ${m.value}${band}${change}`;
}

/** The digest as plain text: the e-mail's text part, and what tests read. */
export function digestText(d: Digest): string {
  const lines = [d.title, d.period, "", ...d.metrics.map(metricLine)];
  if (d.inBrief.length) lines.push("", "In brief", ...d.inBrief.map((s) => `- ${s}`));
  if (d.failures.length) {
    lines.push("", "Failed deployments", ...d.failures.map((f) => `- ${f.label}: ${f.detail}`));
    if (d.moreFailures) lines.push(`- and ${d.moreFailures} more`);
  }
  if (d.link) lines.push("", `Open the report: ${d.link}`);
  return `${lines.join("\n")}\n`;
}
