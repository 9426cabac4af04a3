import type { Candidate, FocusArea } from "@/lib/pipeline/improve";

const VERDICT: Record<FocusArea["calms"]["verdict"], string> = {
  agree: "CALMS answers agree",
  disagree: "CALMS answers disagree",
  mixed: "CALMS answers are mixed",
  unavailable: "No CALMS answers to compare",
};

/** "Where to focus": at most three areas, ranked by the rules of docs/improve.md, each with its evidence. */
export function FocusAreas({ focus, candidates }: { focus: FocusArea[]; candidates?: Candidate[] }) {
  return (
    <section className="card card-pad" aria-labelledby="focus-title" data-testid="focus">
      <h2 id="focus-title">Where to focus</h2>
      <p className="small muted" style={{ marginTop: 0 }}>
        At most three areas, ranked by what halving them would do to lead time, change failure rate or time to
        restore (the rules are in docs/improve.md). About the system, never about a person.
      </p>
      {focus.length === 0 ? (
        <p data-testid="focus-none">
          Nothing stands out: no area passes the rules for this period (not enough data, or every figure
          already in the elite band).
        </p>
      ) : (
        <ol className="focus-list">
          {focus.map((f) => (
            <li key={f.key} className="focus-item" data-area={f.key}>
              <h3>
                <span className="focus-rank">{f.rank}</span> {f.title}
              </h3>
              <ul className="focus-evidence">
                {f.evidence.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
              <p className="focus-halved">{f.ifHalved.sentence}</p>
              <p>
                DORA capability:{" "}
                <a href={f.capability.url} target="_blank" rel="noopener noreferrer">
                  {f.capability.name}
                </a>
                . {f.suggestion}
              </p>
              <div className={`focus-calms focus-calms-${f.calms.verdict}`}>
                <strong>{VERDICT[f.calms.verdict]}.</strong> {f.calms.message}
                {f.calms.items.length ? (
                  <ul>
                    {f.calms.items.map((i) => (
                      <li key={i.key}>
                        “{i.text}” — mean {i.mean.toFixed(1)} of 10 ({i.verdict})
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
      {candidates ? (
        <details className="data">
          <summary>Why the other areas are not listed</summary>
          <ul className="small">
            {candidates
              .filter((c) => !focus.some((f) => f.key === c.area.key))
              .map((c) => (
                <li key={c.area.key}>
                  {c.area.title}: {c.eligible ? "qualifies, ranked below the first three" : c.reason}.
                </li>
              ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
