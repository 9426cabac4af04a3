import { formatChange, formatInterval } from "@/lib/format";
import type { Trend } from "@/lib/metrics/trend";

/** The hover text of a trend: its 95 % interval and why it is (un)clear (docs/metrics.md § Trends). */
export function trendTitle(trend: Trend, isRate: boolean): string {
  const interval = formatInterval(trend.interval, isRate);
  const parts = [
    interval ? `95% interval of the change: ${interval}` : null,
    trend.note ? `${trend.direction === "flat" ? "No clear change: " : ""}${trend.note}` : null,
    trend.direction === "better" || trend.direction === "worse" ? "a clear change for its sample" : null,
  ];
  return parts.filter(Boolean).join(". ");
}

/**
 * "▲ +23% vs previous 90 days", green when better, red when worse, whatever the direction of the number — but only
 * when the change is clear for its sample; otherwise "No clear change", and with no data "No data to compare".
 */
export function TrendText({ trend, isRate, days }: { trend: Trend; isRate: boolean; days: number }) {
  const title = trendTitle(trend, isRate);
  if (trend.direction === null) {
    return (
      <span className="trend trend-none" title={title} data-trend="none">
        No data to compare
      </span>
    );
  }
  const change = formatChange(trend.delta, trend.relative, isRate);
  const arrow = trend.direction === "flat" ? "≈" : (trend.delta ?? 0) > 0 ? "▲" : "▼";
  const word =
    trend.direction === "better" ? "better" : trend.direction === "worse" ? "worse" : "no clear change";
  return (
    <span className={`trend trend-${trend.direction}`} title={title} data-trend={trend.direction}>
      <span aria-hidden="true">{arrow} </span>
      {trend.direction === "flat" ? "No clear change" : change}
      <span className="visually-hidden">
        {" "}
        ({word}; {title})
      </span>
      <span className="muted" style={{ fontWeight: 400 }}>
        {" "}
        vs previous {days} days
      </span>
    </span>
  );
}
