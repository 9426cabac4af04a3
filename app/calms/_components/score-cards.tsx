import { BLOCK_LABELS } from "@/lib/calms/bank";
import { formatScore } from "@/lib/calms/mappers";
import type { BlockScore } from "@/lib/calms/scoring";
import { WITHHELD_MESSAGES } from "@/lib/calms/suppression";

/** One card per block: the mean (0–10), its 95% interval and how many people it rests on. */
export function ScoreCards(props: { blocks: BlockScore[]; org: BlockScore[] | null; threshold: number }) {
  const { blocks, org } = props;
  return (
    <div className="calms-scores" data-testid="calms-scores">
      {blocks.map((b) => {
        const o = org?.find((x) => x.block === b.block);
        return (
          <div key={b.block} className="card card-pad metric" data-block={b.block}>
            <div className="metric-title">{BLOCK_LABELS[b.block]}</div>
            <div className="metric-value">
              {formatScore(b.mean)}
              <span className="unit">/ 10</span>
            </div>
            <div className="metric-sub">
              {b.withheld
                ? WITHHELD_MESSAGES[b.withheld](b.n, props.threshold)
                : b.ci === null
                  ? "too few answers for an interval"
                  : `± ${formatScore(b.ci)} (95% interval)`}
              <br />
              {b.n} {b.n === 1 ? "person" : "people"} · {b.items} statements
              {b.block === "westrum" ? " · agreement scale" : ""}
            </div>
            {o ? (
              <div className="metric-foot small muted">
                Organisation: {o.withheld ? "withheld" : formatScore(o.mean)}
              </div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
