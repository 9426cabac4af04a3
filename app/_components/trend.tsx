import { formatChange } from "@/lib/format";
import type { Trend } from "@/lib/metrics/trend";

/** "▲ +23% vs previous 90 days", green when better, red when worse, whatever the direction of the number. */
export function TrendText({ trend, isRate, days }: { trend: Trend; isRate: boolean; days: number }) {
  if (trend.direction === null) {
    return <span className="trend trend-none">No previous data</span>;
  }
  const change = formatChange(trend.delta, trend.relative, isRate);
  const arrow = trend.direction === "flat" ? "≈" : (trend.delta ?? 0) > 0 ? "▲" : "▼";
  const word =
    trend.direction === "better" ? "better" : trend.direction === "worse" ? "worse" : "about the same";
  return (
    <span className={`trend trend-${trend.direction}`}>
      <span aria-hidden="true">{arrow} </span>
      {trend.direction === "flat" ? "No clear change" : change}
      <span className="visually-hidden"> ({word})</span>
      <span className="muted" style={{ fontWeight: 400 }}>
        {" "}
        vs previous {days} days
      </span>
    </span>
  );
}
