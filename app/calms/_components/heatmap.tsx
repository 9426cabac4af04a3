import Link from "next/link";
import { BLOCK_LABELS, type Block } from "@/lib/calms/bank";
import { formatScore, heatStyle } from "@/lib/calms/mappers";
import type { RoundResults } from "@/lib/calms/results";
import type { BlockScore } from "@/lib/calms/scoring";
import { HIDDEN_MESSAGES, WITHHELD_MESSAGES } from "@/lib/calms/suppression";
import { formatPercent } from "@/lib/format";

function Cell(props: { score: BlockScore | undefined; label: string; threshold: number; total?: boolean }) {
  const { score, label, total } = props;
  const className = total ? "num calms-heat calms-total" : "num calms-heat";
  if (score?.withheld) {
    return (
      <td
        className={`${className} calms-hidden-cell`}
        title={`${label}: ${WITHHELD_MESSAGES[score.withheld](score.n, props.threshold)}`}
      >
        withheld
      </td>
    );
  }
  if (!score || score.mean === null) {
    return (
      <td className={className} title={`${label}: not enough answers`}>
        –
      </td>
    );
  }
  const ci = score.ci === null ? "" : ` ± ${formatScore(score.ci)}`;
  return (
    <td
      className={className}
      style={heatStyle(score.mean)}
      title={`${label}: ${formatScore(score.mean)}${ci} (n = ${score.n})`}
    >
      {formatScore(score.mean)}
    </td>
  );
}

/**
 * Teams × dimensions, read down a column for a team and across a row for an organisation-wide theme. Teams are
 * alphabetical; there is no total column and no ranking. Hidden teams show why, not a number.
 */
export function Heatmap({ results }: { results: RoundResults }) {
  const blocks = [...new Set(results.items.map((i) => i.block))] as Block[];
  return (
    <div className="table-wrap">
      <table className="calms-heatmap" data-testid="calms-heatmap">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col" className="num">
              Answers
            </th>
            {blocks.map((b) => (
              <th key={b} scope="col" className="num">
                {BLOCK_LABELS[b]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {results.teams.map((t) => (
            <tr key={t.slug} data-team={t.slug}>
              <th scope="row" className="calms-team-cell">
                <Link href={`/calms/${results.round.id}/${t.slug}`}>{t.name}</Link>
              </th>
              <td className="num nowrap">
                {t.n}
                {t.responseRate !== null ? (
                  <span className="small muted"> · {formatPercent(t.responseRate, 0)}</span>
                ) : null}
              </td>
              {t.visible ? (
                blocks.map((b) => (
                  <Cell
                    key={b}
                    score={t.blocks?.find((s) => s.block === b)}
                    label={BLOCK_LABELS[b]}
                    threshold={results.threshold}
                  />
                ))
              ) : (
                <td colSpan={blocks.length} className="calms-hidden-cell">
                  {HIDDEN_MESSAGES[t.hidden ?? "below_threshold"](t.n, results.threshold)}
                </td>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" className="calms-total">
              All teams in the round
            </th>
            <td className="num calms-total">{results.org.n}</td>
            {results.org.visible ? (
              blocks.map((b) => (
                <Cell
                  key={b}
                  score={results.org.blocks?.find((s) => s.block === b)}
                  label={BLOCK_LABELS[b]}
                  threshold={results.threshold}
                  total
                />
              ))
            ) : (
              <td colSpan={blocks.length} className="calms-hidden-cell calms-total">
                Hidden until {results.threshold} people have answered across the round.
              </td>
            )}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
