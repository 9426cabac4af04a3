import { ALPHA_FLOOR, type AlphaVerdict } from "@/lib/calms/alpha";
import { BLOCK_LABELS } from "@/lib/calms/bank";
import type { RoundResults } from "@/lib/calms/results";

const VERDICTS: Record<AlphaVerdict, string> = {
  too_few: "Too few complete answers (10 needed)",
  undefined: "Answers do not vary",
  low: `Below ${ALPHA_FLOOR}: the statements may not measure one thing`,
  ok: "Consistent",
  redundant: "Above 0.95: statements may repeat each other",
};

/** Cronbach's alpha per dimension over the whole round, with the statements that hold a dimension back. */
export function Reliability({ results }: { results: RoundResults }) {
  const text = new Map(results.items.map((i) => [i.key, i.text]));
  return (
    <section className="card" aria-labelledby="reliability-title" data-testid="reliability">
      <div className="card-pad section-head" style={{ marginBottom: 0, paddingBottom: 4 }}>
        <div>
          <h2 id="reliability-title">Reliability of the questionnaire</h2>
          <p>
            Cronbach&apos;s alpha per dimension, over everyone in the round (teams are too small to estimate
            it): do a dimension&apos;s statements move together? 0.70 is the usual floor.
          </p>
        </div>
      </div>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Dimension</th>
              <th scope="col" className="num">
                Alpha
              </th>
              <th scope="col" className="num">
                Complete answers
              </th>
              <th scope="col">Reading</th>
            </tr>
          </thead>
          <tbody>
            {results.reliability.blocks.map((b) => (
              <tr key={b.block}>
                <td>{BLOCK_LABELS[b.block]}</td>
                <td className="num">
                  {b.result.alpha === null || b.verdict === "too_few" ? "–" : b.result.alpha.toFixed(2)}
                </td>
                <td className="num">{b.result.n}</td>
                <td className="small">
                  {VERDICTS[b.verdict]}
                  {b.weakItems.map((k) => (
                    <div key={k} className="muted">
                      Weak: <span className="mono">{k}</span> {text.get(k)} (moves little with the others;
                      consider a new wording next round)
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
          <caption>
            {results.reliability.straightLined
              ? `${results.reliability.straightLined} of ${results.reliability.n} responses gave the same answer to every statement (possible careless answering).`
              : `No response gave the same answer to every statement (${results.reliability.n} responses).`}
          </caption>
        </table>
      </div>
    </section>
  );
}
