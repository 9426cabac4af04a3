import { formatLocalDate } from "@/lib/format";
import { isLocalDate } from "@/lib/metrics/period";
import type { CalmsReportSection } from "@/lib/reports/types";

/** "31 Mar 2026" from a local date; anything else as given. */
const closed = (d: string) => (isLocalDate(d) ? formatLocalDate(d) : d);
const score = (v: number | null, max: number) => (v === null ? "hidden" : `${v.toFixed(1)} / ${max}`);
const percent = (r: number | null | undefined) =>
  r === null || r === undefined ? null : `${Math.round(r * 100)}%`;

/** The CALMS section (lib/reports/calms.ts fills it, anonymity rules already applied): shows what it holds. */
export function CalmsSection({ calms }: { calms: CalmsReportSection }) {
  const max = calms.scale.max;
  return (
    <section className="report-section" aria-labelledby="report-calms" data-section="calms">
      <h2 id="report-calms">CALMS self-assessment</h2>
      <p className="muted">
        {calms.round.name}
        {calms.round.closedOn ? `, closed ${closed(calms.round.closedOn)}` : ""}: {calms.round.responses}{" "}
        responses
        {percent(calms.round.responseRate)
          ? ` (${percent(calms.round.responseRate)} of the members listed)`
          : ""}
        . Scores are means on a {calms.scale.min}–{max} scale.
      </p>
      <div className="card table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Dimension</th>
              <th scope="col" className="num">
                Score
              </th>
              <th scope="col" className="num">
                Previous round
              </th>
              <th scope="col" className="num">
                Responses
              </th>
            </tr>
          </thead>
          <tbody>
            {calms.dimensions.map((d) => (
              <tr key={d.key}>
                <td>
                  {d.name}
                  {d.hiddenReason ? <span className="small muted"> ({d.hiddenReason})</span> : null}
                </td>
                <td className="num">{score(d.score, max)}</td>
                <td className="num">{d.previous === null ? "–" : score(d.previous, max)}</td>
                <td className="num">{d.responses}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {calms.teams?.length ? (
        <div className="card table-wrap section">
          <table>
            <thead>
              <tr>
                <th scope="col">Team</th>
                {calms.dimensions.map((d) => (
                  <th key={d.key} scope="col" className="num">
                    {d.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {calms.teams.map((t) => (
                <tr key={t.slug}>
                  <td>
                    {t.name}{" "}
                    <span className="small muted">
                      (
                      {t.hiddenReason ??
                        `${t.responses} responses${percent(t.responseRate) ? ` · ${percent(t.responseRate)}` : ""}`}
                      )
                    </span>
                  </td>
                  {t.scores.map((s, i) => (
                    <td key={calms.dimensions[i]?.key ?? i} className="num">
                      {score(s, max)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {calms.sayDo.length ? (
        <div className="card card-pad section">
          <h3>Say vs do</h3>
          <ul className="notes">
            {calms.sayDo.map((n) => (
              <li key={n.message} className={`note note-${n.level}`}>
                <span className="note-icon" aria-hidden="true">
                  {n.level === "warning" ? "!" : "i"}
                </span>
                <span>{n.message}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="section">
        {calms.notes.map((n) => (
          <p key={n} className="small muted">
            {n}
          </p>
        ))}
      </div>
    </section>
  );
}
