import { toMetricsResponse } from "@/lib/api/metrics-response";
import { focusResponse } from "@/lib/api/pipeline-response";
import type { Report } from "./types";

/**
 * The report as JSON: the metrics in GET /api/v1/metrics's shape (durations in seconds, rates 0–1), plus what the
 * report adds: the periods compared, the summary as displayed, the sentences, per-team figures of an org report, the
 * sources and definitions, and the CALMS section when there is one.
 */
export function toReportJson(r: Report) {
  const metrics = toMetricsResponse(r.dashboard);
  return {
    report: {
      kind: r.kind,
      title: r.title,
      organisation: r.org.name,
      team: r.team ? { slug: r.team.slug, name: r.team.name } : null,
      period: pick(r.periods.period),
      previousPeriod: pick(r.periods.previous),
      comparison: r.periods.comparison,
      generatedAt: r.generatedAt,
      timeZone: r.org.timeZone,
    },
    summary: r.summary,
    narrative: r.narrative,
    ...metrics,
    teams:
      r.teams?.map((t) => ({
        slug: t.slug,
        name: t.name,
        repositories: t.repositories,
        summary: t.summary,
        metrics: toMetricsResponse({ ...r.dashboard, metrics: t.metrics, series: t.series }).metrics,
      })) ?? null,
    unownedDeployments: r.kind === "org" ? r.unownedDeployments : undefined,
    sources: r.quality.sources,
    definitions: r.definitions,
    focus: focusResponse(r.focus),
    calms: r.calms ?? null,
  };
}

const pick = (p: Report["periods"]["period"]) => ({
  kind: p.kind,
  spec: p.spec,
  label: p.label,
  from: p.from,
  to: p.to,
  days: p.days,
});
