import { STAGE_HELP } from "@/lib/charts/pipeline";
import { formatDuration, formatInstant } from "@/lib/format";
import type { PipelineChange } from "@/lib/pipeline";
import { STAGE_LABELS, type StageKey } from "@/lib/pipeline/stages";

/** The changes behind one stage, longest in it first: where a stage's median comes from. */
export function StageChanges({
  stage,
  rows,
  total,
  zone,
}: {
  stage: StageKey;
  rows: PipelineChange[];
  total: number;
  zone: string;
}) {
  return (
    <section
      className="card section"
      id="changes"
      aria-labelledby="changes-title"
      data-testid="stage-changes"
    >
      <div className="card-pad section-head" style={{ marginBottom: 0 }}>
        <div>
          <h2 id="changes-title">Changes behind “{STAGE_LABELS[stage]}”</h2>
          <p className="small muted" style={{ margin: 0 }}>
            {STAGE_HELP[stage]} ·{" "}
            {rows.length < total ? `the ${rows.length} longest of ${total}` : `${total}`} changes with this
            stage, longest first
          </p>
        </div>
      </div>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Pull request</th>
              <th scope="col" className="num">
                {STAGE_LABELS[stage]}
              </th>
              <th scope="col" className="num">
                First commit → live
              </th>
              <th scope="col">Live</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={`${c.pullRequestId}-${c.liveAt}`}>
                <td>
                  <span className="mono small">
                    {c.repository}#{c.number}
                  </span>{" "}
                  {c.url ? (
                    <a href={c.url} target="_blank" rel="noopener noreferrer">
                      {c.title}
                    </a>
                  ) : (
                    c.title
                  )}
                </td>
                <td className="num">{formatDuration(c.spans[stage])}</td>
                <td className="num">{formatDuration(c.spans.total)}</td>
                <td className="nowrap">{formatInstant(new Date(c.liveAt), zone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
