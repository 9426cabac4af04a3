import { BLOCK_LABELS, bankItem, DIMENSIONS } from "@/lib/calms/bank";
import { formatScore } from "@/lib/calms/mappers";
import { frequencyWord, type SayDoRow } from "@/lib/calms/saydo";
import { formatLocalDate } from "@/lib/format";
import type { Period } from "@/lib/metrics/period";

function measured(row: SayDoRow): string {
  const s = row.signal;
  if (s.value === null) return "–";
  return s.unit === "share" ? `${Math.round(s.value * 100)}%` : String(Math.round(s.value));
}

/**
 * Beside each dimension, what Throughline measures about the same behaviour. A gap is a question for the team: the
 * data may miss a source, the statement may read differently, or practice may have drifted.
 */
export function SayDo({ rows, window, hidden }: { rows: SayDoRow[]; window: Period; hidden: boolean }) {
  return (
    <section className="card calms-saydo" aria-labelledby="saydo-title" data-testid="say-do">
      <div className="card-pad section-head" style={{ marginBottom: 0, paddingBottom: 4 }}>
        <div>
          <h2 id="saydo-title">Say vs do</h2>
          <p>
            What the team says beside what the data shows for {formatLocalDate(window.from)} –{" "}
            {formatLocalDate(window.to)} (the 90 days up to the round&apos;s close). A gap is a question to
            discuss, not a verdict.
          </p>
        </div>
      </div>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Measured</th>
              <th scope="col" className="num">
                Data shows
              </th>
              <th scope="col">The team says</th>
              <th scope="col">To talk about</th>
            </tr>
          </thead>
          {DIMENSIONS.map((d) => {
            const group = rows.filter((r) => r.signal.block === d);
            if (!group.length) return null;
            return (
              <tbody key={d}>
                <tr>
                  <th scope="colgroup" colSpan={4} className="calms-dim-head">
                    {BLOCK_LABELS[d]}
                  </th>
                </tr>
                {group.map((r) => (
                  <tr key={r.signal.id} data-signal={r.signal.id}>
                    <td>
                      {r.signal.label}
                      {r.signal.detail ? <div className="small muted">{r.signal.detail}</div> : null}
                    </td>
                    <td className="num">{measured(r)}</td>
                    <td className="small">
                      {r.signal.itemKey ? (
                        <>
                          <span className="mono muted">{r.signal.itemKey}</span>{" "}
                          {bankItem(r.signal.itemKey)?.text ?? ""}
                          <div>
                            {hidden ? (
                              <span className="muted">hidden (see above)</span>
                            ) : r.say === null ? (
                              <span className="muted">not asked or not answered</span>
                            ) : (
                              <strong>
                                {formatScore(r.say)} / 10 ({frequencyWord(r.say)})
                              </strong>
                            )}
                          </div>
                        </>
                      ) : null}
                    </td>
                    <td className="small">
                      {r.signal.missing ? (
                        <span className="muted">Not measured: needs {r.signal.missing}.</span>
                      ) : r.question ? (
                        <span className="calms-question">{r.question}</span>
                      ) : r.signal.comparable && r.say !== null && r.signal.value !== null ? (
                        <span className="muted">The answers and the data agree.</span>
                      ) : !r.signal.comparable ? (
                        <span className="muted">Context: not a share of occasions, so not compared.</span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            );
          })}
        </table>
      </div>
    </section>
  );
}
