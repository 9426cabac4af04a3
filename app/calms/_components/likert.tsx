import { BLOCK_LABELS, groupByBlock } from "@/lib/calms/bank";
import { formatScore, type LikertRow, likertTable } from "@/lib/calms/mappers";
import { ChartCard } from "../../_components/chart-card";

const pct = (share: number) => `${Math.round(share * 100)}%`;

/**
 * Diverging stacked bars, one per statement: answers below the middle of the scale to the left of the centre line,
 * above it to the right, the middle answer split across it; "Don't know" counted apart. Plain HTML and CSS, so
 * long statements wrap and the bars print; the numbers are in "Show data".
 */
export function LikertChart({ rows, id }: { rows: LikertRow[]; id: string }) {
  const table = likertTable(rows);
  const legend = (rows.find((r) => r.segments.length === 5) ?? rows[0])?.segments.map((s) => ({
    label: s.label,
    color: s.color,
  }));
  return (
    <ChartCard
      id={id}
      title="Answers per statement"
      subtitle="Share of answers; “Don't know” is counted apart and left out of the bars and the means."
      legend={legend}
      columns={table.columns}
      rows={table.rows}
    >
      {groupByBlock(rows).map((g) => (
        <div key={g.block} className="likert-group">
          <h3>{BLOCK_LABELS[g.block]}</h3>
          {g.items[0] && g.items[0].segments.length !== legend?.length ? (
            // Another answer scale than the card's legend (the 7-point agreement scale): its own legend.
            <div className="legend likert-group-legend">
              {g.items[0].segments.map((s) => (
                <span key={s.label}>
                  <i style={{ background: s.color }} />
                  {s.label}
                </span>
              ))}
            </div>
          ) : null}
          {g.items.map((r) => (
            <div className="likert-row" key={r.key} data-item={r.key}>
              <div className="likert-text">
                <span className="mono muted">{r.key}</span> {r.text}
              </div>
              <div className="likert-track" role="img" aria-label={describe(r)}>
                <span className="likert-share">{r.answered ? pct(r.negative) : ""}</span>
                <div className="likert-area">
                  <div className="likert-bar" style={{ left: `${r.start}%` }}>
                    {r.segments.map((s) =>
                      s.count ? (
                        <span
                          key={s.label}
                          className="likert-seg"
                          style={{ width: `${s.share * 100}%`, background: s.color }}
                          title={`${s.label}: ${s.count} (${pct(s.share)})`}
                        />
                      ) : null,
                    )}
                  </div>
                </div>
                <span className="likert-share likert-pos">{r.answered ? pct(r.positive) : ""}</span>
              </div>
              <div className="likert-meta small muted">
                <span className="likert-mean">{formatScore(r.mean)}</span>
                {r.dontKnow ? <span>{r.dontKnow} don&apos;t know</span> : null}
              </div>
            </div>
          ))}
        </div>
      ))}
    </ChartCard>
  );
}

function describe(r: LikertRow): string {
  if (!r.answered) return `${r.key}: no answers other than don't know`;
  const parts = r.segments.filter((s) => s.count).map((s) => `${s.label} ${s.count}`);
  return `${r.key}: ${parts.join(", ")}${r.dontKnow ? `, don't know ${r.dontKnow}` : ""}`;
}
