import type { ChartGeometry, Shape, Tone } from "@/lib/reports/charts";

/** The design system's colours for the chart tones (the PDF maps the same tones to hex). */
const COLORS: Record<Tone, string> = {
  series1: "var(--series-1)",
  series1Soft: "var(--series-1-soft)",
  fail: "var(--series-fail)",
  rework: "var(--series-rework)",
  series2: "var(--series-2)",
  series2Soft: "var(--series-2-soft)",
  series1Partial: "var(--series-1-partial)",
  failPartial: "var(--series-fail-partial)",
  coding: "var(--stage-coding)",
  pickup: "var(--stage-pickup)",
  review: "var(--stage-review)",
  deploy: "var(--stage-deploy)",
  grid: "var(--border)",
  label: "var(--text-3)",
};

function shape(s: Shape, key: number) {
  switch (s.kind) {
    case "rect":
      return <rect key={key} x={s.x} y={s.y} width={s.w} height={s.h} fill={COLORS[s.fill]} />;
    case "line":
      return (
        <line
          key={key}
          x1={s.x1}
          y1={s.y1}
          x2={s.x2}
          y2={s.y2}
          stroke={COLORS[s.stroke]}
          strokeWidth={s.width}
        />
      );
    case "path":
      return (
        <path
          key={key}
          d={s.d}
          stroke={s.stroke ? COLORS[s.stroke] : "none"}
          fill={s.fill ? COLORS[s.fill] : "none"}
          strokeWidth={s.width}
        />
      );
    case "circle":
      return <circle key={key} cx={s.cx} cy={s.cy} r={s.r} fill={COLORS[s.fill]} />;
    case "text":
      return (
        <text key={key} x={s.x} y={s.y} fontSize={s.size} textAnchor={s.anchor} fill={COLORS.label}>
          {s.text}
        </text>
      );
  }
}

/**
 * A report chart drawn on the server as inline SVG, from the same geometry as the PDF's: it is in the HTML, so it
 * prints without waiting for JavaScript (Recharts draws only after hydration).
 */
export function ReportChart({ chart }: { chart: ChartGeometry }) {
  return (
    <section
      className="card card-pad chart-card"
      aria-labelledby={`report-${chart.id}-title`}
      data-chart={chart.id}
    >
      <header>
        <div>
          <h3 id={`report-${chart.id}-title`}>{chart.title}</h3>
          <p>{chart.subtitle}</p>
        </div>
        <div className="legend">
          {chart.legend.map((l) => (
            <span key={l.label}>
              <i style={{ background: COLORS[l.tone] }} />
              {l.label}
            </span>
          ))}
        </div>
      </header>
      {chart.empty ? (
        <div className="empty-chart" style={{ aspectRatio: `${chart.width} / ${chart.height}` }}>
          {chart.empty}
        </div>
      ) : (
        <svg
          className="report-svg"
          viewBox={`0 0 ${chart.width} ${chart.height}`}
          role="img"
          aria-label={`${chart.title}: ${chart.subtitle}`}
        >
          {chart.shapes.map(shape)}
        </svg>
      )}
      {chart.note && !chart.empty ? <p className="chart-note">{chart.note}</p> : null}
    </section>
  );
}
