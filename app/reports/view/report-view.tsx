import Link from "next/link";
import { formatCount, formatDuration } from "@/lib/format";
import { breakdownChart, trendCharts } from "@/lib/reports/charts";
import { BANDS_EXPLAINED } from "@/lib/reports/summary";
import type { Report } from "@/lib/reports/types";
import { BandChip } from "../../_components/band";
import { FocusAreas } from "../../_components/pipeline/focus-areas";
import { QualityPanel } from "../../_components/quality-panel";
import { CalmsSection } from "./calms-section";
import { PrintButton } from "./print-button";
import { ReportChart } from "./report-chart";
import { Scorecard } from "./scorecard";

const BOX = { width: 560, height: 160, font: 9 };
const STAGE = {
  coding: "--stage-coding",
  pickup: "--stage-pickup",
  review: "--stage-review",
  deploy: "--stage-deploy",
};

/** Text safe inside a CSS string in a <style> element. */
const cssText = (s: string) => s.replace(/["\\<>\n\r]/g, " ");

/** The report as a page: the PDF's sections in the same order, each starting a printed page. */
export function ReportView({ report: r }: { report: Report }) {
  const { period, previous, comparison } = r.periods;
  const q = new URLSearchParams({ ...(r.team ? { team: r.team.slug } : {}), period: period.spec }).toString();
  const api = (extra: string) => `/api/v1/reports?${q}&${extra}`;
  const b = r.charts.breakdown;
  const footer = cssText(
    `${r.team ? `${r.org.name} · ${r.team.name}` : r.org.name} · ${period.label} · generated ${r.generatedAt.slice(0, 16).replace("T", " ")} UTC`,
  );
  return (
    <article className="report" data-testid="report">
      <style>{`@page { @bottom-left { content: "${footer}"; } @bottom-right { content: "Page " counter(page) " of " counter(pages); } }`}</style>
      <div className="page-head">
        <div>
          <div className="crumbs no-print">
            <Link href="/reports">Reports</Link> / {r.team ? "Team" : "Organisation"}
          </div>
          <p className="report-eyebrow">Throughline · Delivery report</p>
          <h1>{r.team ? r.team.name : `${r.org.name}: whole organisation`}</h1>
          <p data-testid="report-period">
            {period.label} ({period.dates}), compared with {previous.label} ({previous.dates}), the{" "}
            {comparison}.
          </p>
          <p className="small">
            Production environments: {r.quality.environments.join(", ") || "none"} · times in {r.org.timeZone}
            {r.team?.description ? ` · ${r.team.description}` : ""}
          </p>
        </div>
        <div className="report-actions no-print">
          <a className="btn btn-primary" href={api("format=pdf")} download>
            PDF
          </a>
          <a className="btn" href={api("format=pdf&paper=letter")} download>
            PDF (Letter)
          </a>
          <a className="btn" href={api("format=csv")} download>
            CSV (ZIP)
          </a>
          <a className="btn" href={api("format=json")}>
            JSON
          </a>
          <PrintButton />
        </div>
      </div>

      <section className="report-section report-summary" aria-label="Summary" data-section="summary">
        <div className="card">
          <Scorecard summary={r.summary} previousLabel={previous.label} />
        </div>
        <div className="card card-pad section">
          <h2>In brief</h2>
          <ul className="report-sentences" data-testid="narrative">
            {r.narrative.map((s) => (
              <li key={s.text} className={`sentence sentence-${s.tone}`}>
                {s.text}
              </li>
            ))}
          </ul>
        </div>
        <div className="card card-pad section report-howto">
          <h3>How to read this report</h3>
          <p className="small muted">{BANDS_EXPLAINED}</p>
          <p className="small muted">
            Changes compare with the previous period: relative (%) for times and frequency, in percentage
            points (pp) for rates; “better” and “worse” say which way is good. Under each figure: what it is
            computed from. Team and organisation figures pool every change and deployment. The definitions are
            at the end.
          </p>
        </div>
      </section>

      <section className="report-section" aria-labelledby="report-trends" data-section="trends">
        <h2 id="report-trends">Trends</h2>
        <p className="muted">
          The dashboard's charts for {period.label}, per {r.charts.granularity}. Gaps mean nothing was
          measured, not zero.
        </p>
        <div className="grid grid-2 report-charts">
          {trendCharts(r.charts, BOX).map((c) => (
            <ReportChart key={c.id} chart={c} />
          ))}
        </div>
      </section>

      <section className="report-section" aria-labelledby="report-breakdown" data-section="breakdown">
        <h2 id="report-breakdown">Where lead time goes</h2>
        <p className="muted">
          {b.stats.prs
            ? `Median of each stage over ${formatCount(b.stats.prs, "pull request")} first shipped in ${period.label}${b.stats.unreviewed ? ` (${b.stats.unreviewed} merged without review)` : ""}. Median pull request lead time, first commit to production: ${formatDuration(b.stats.totalP50)}; stage medians need not add up to it.`
            : "No pull request reached production in this period, so there is no breakdown."}
        </p>
        <div className="grid grid-2 report-charts">
          {b.stats.prs ? (
            <div className="card card-pad chart-card">
              <h3>Median of each stage</h3>
              <div
                className="pipeline"
                role="img"
                aria-label={b.segments.map((s) => `${s.label} ${formatDuration(s.seconds)}`).join(", ")}
              >
                {b.segments.map((s) => (
                  <span
                    key={s.key}
                    style={{ width: `${(s.share * 100).toFixed(2)}%`, background: `var(${STAGE[s.key]})` }}
                  />
                ))}
              </div>
              <div className="stages report-stages">
                {b.segments.map((s) => (
                  <div key={s.key} className="stage" style={{ borderColor: `var(${STAGE[s.key]})` }}>
                    <b>{formatDuration(s.seconds)}</b>
                    <span>
                      {s.label}: {s.help}
                    </span>
                  </div>
                ))}
              </div>
            </div>
          ) : null}
          <ReportChart chart={breakdownChart(b.bars, r.charts.granularity, BOX)} />
        </div>
      </section>

      {r.teams ? (
        <section className="report-section" aria-labelledby="report-teams" data-section="teams">
          <h2 id="report-teams">Teams</h2>
          <p className="muted">
            Listed alphabetically. Compare a team with its own trend, not with other teams: DORA metrics
            describe how a system delivers, and a league table invites gaming the numbers.
          </p>
          <div className="card table-wrap">
            <table data-testid="report-teams">
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  {r.summary.map((m) => (
                    <th key={m.key} scope="col" className="num">
                      {m.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.teams.map((t) => (
                  <tr key={t.slug}>
                    <th scope="row" className="team-cell">
                      {t.name}
                      <div className="small muted">
                        {formatCount(t.repositories, "repository", "repositories")}
                      </div>
                    </th>
                    {t.summary.map((m) => (
                      <td key={m.key} className="num">
                        <div>
                          <strong>{m.value}</strong> <BandChip band={m.band} />
                        </div>
                        <div className="small muted">{m.sample}</div>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              {r.unownedDeployments > 0 ? (
                <caption>
                  {formatCount(r.unownedDeployments, "deployment")} belong to repositories no team owns: they
                  count in the organisation's figures, in no team's row.
                </caption>
              ) : null}
            </table>
          </div>
        </section>
      ) : null}

      <section className="report-section" aria-label="Where to focus" data-section="focus">
        <FocusAreas focus={r.focus} />
      </section>

      {r.calms ? <CalmsSection calms={r.calms} /> : null}

      <section className="report-section" aria-labelledby="report-data" data-section="data">
        <h2 id="report-data">Data quality</h2>
        <p className="muted">What fed these figures, and what is missing or left out.</p>
        <div className="card card-pad">
          <dl className="facts">
            {r.quality.sources.map((s) => (
              <div key={s.label}>
                <dt>{s.label}</dt>
                <dd>{s.value}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div className="section">
          <QualityPanel notes={r.quality.notes} />
        </div>
      </section>

      <section className="report-section" aria-labelledby="report-definitions" data-section="definitions">
        <h2 id="report-definitions">Definitions</h2>
        <div className="card card-pad">
          <dl className="report-definitions">
            {r.definitions.map((d) => (
              <div key={d.key}>
                <dt>{d.name}</dt>
                <dd>
                  {d.definition}
                  <div className="small muted">Bands: {d.bands}.</div>
                </dd>
              </div>
            ))}
          </dl>
          <p className="small muted">
            {BANDS_EXPLAINED} Periods are local calendar days in {r.org.timeZone}, both ends included. A
            calendar quarter, month or year is compared with the previous one; any other range with the period
            of equal length just before it. Full definitions: docs/metrics.md.
          </p>
        </div>
      </section>

      <footer className="report-footer small muted">
        {r.team ? `${r.org.name} · ${r.team.name}` : r.org.name} · {period.label} · generated{" "}
        {r.generatedAt.slice(0, 16).replace("T", " ")} UTC by Throughline
      </footer>
    </article>
  );
}
