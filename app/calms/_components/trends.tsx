import { BLOCK_LABELS } from "@/lib/calms/bank";
import { formatScore, toTrendChart } from "@/lib/calms/mappers";
import { type BlockTrend, VERDICT_LABELS } from "@/lib/calms/trend";
import { TrendChart } from "./trend-chart";

function changeText(t: BlockTrend): string {
  const last = t.points.at(-1);
  const c = last?.change;
  if (!last?.score) return t.points.length < 2 ? "First round" : "Not shown this round";
  if (!c) return t.points.filter((p) => p.score).length < 2 ? "First round shown" : "–";
  if (c.verdict === "withheld") return "Change not shown: the number of answers differs by one or two";
  const d =
    c.diff === null
      ? ""
      : ` (${c.diff > 0 ? "+" : "−"}${formatScore(Math.abs(c.diff))}, noise ± ${formatScore(c.margin)})`;
  return `${VERDICT_LABELS[c.verdict]}${d}`;
}

/** Small multiples: one chart per dimension, compared on the statements every round shares. */
export function Trends({ trends }: { trends: BlockTrend[] }) {
  return (
    <section className="card card-pad" aria-labelledby="trend-title" data-testid="calms-trends">
      <div className="section-head">
        <div>
          <h2 id="trend-title">Across rounds</h2>
          <p>
            Scores on the statements all rounds share. The shaded band is the earlier score ± the noise for
            those numbers of answers: a later score inside it is no clear change.
          </p>
        </div>
      </div>
      <div className="calms-trends">
        {trends.map((t) => {
          const chart = toTrendChart(t);
          return (
            <div key={t.block} className="calms-trend" data-block={t.block}>
              <h3>{BLOCK_LABELS[t.block]}</h3>
              {t.commonItems.length === 0 ? (
                <p className="small muted calms-trend-note">
                  No statement in common between the rounds: not comparable.
                </p>
              ) : (
                <TrendChart label={BLOCK_LABELS[t.block]} points={chart.points} bands={chart.bands} />
              )}
              <p className="small calms-trend-note" data-testid={`trend-${t.block}`}>
                {changeText(t)}
              </p>
              {t.leftOut.length ? (
                <p className="small muted calms-trend-note">
                  Left out (changed between rounds): {t.leftOut.join(", ")}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}
