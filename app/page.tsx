import Link from "next/link";
import type { ReactNode } from "react";
import { requireRole } from "@/lib/auth/current";
import { listEnvironments } from "@/lib/catalog";
import { getReadDb } from "@/lib/db/replica";
import { formatCount, formatDuration, formatFrequency, formatLocalDate, formatPercent } from "@/lib/format";
import type { Band } from "@/lib/metrics/bands";
import { getOverview } from "@/lib/metrics/overview";
import { SliceError } from "@/lib/metrics/scope";
import { getOrgSettings } from "@/lib/settings/org";
import { parseFilters, periodOf, type SearchParams, withFilters } from "@/lib/web/filters";
import { cardLinks } from "@/lib/web/rows-link";
import { BandChip } from "./_components/band";
import { FilterBar } from "./_components/filter-bar";
import { MetricCards } from "./_components/metric-cards";
import { QualityPanel } from "./_components/quality-panel";
import { Sparkline } from "./_components/sparkline";

/** One team's figure: its shape over the period, the value (a link to its rows) over its band; `label` heads the
 * cell when a phone stacks the table. */
function MetricCell(props: {
  label: string;
  href: string;
  band: Band | null;
  spark?: ReactNode;
  children: ReactNode;
}) {
  return (
    <td data-label={props.label}>
      <div className="cell-metric">
        {props.spark}
        <span className="vb">
          <Link className="v" href={props.href}>
            {props.children}
          </Link>
          <BandChip band={props.band} />
        </span>
      </div>
    </td>
  );
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const isAdmin = (await requireRole("viewer")).role === "admin";
  const db = await getReadDb();
  const settings = await getOrgSettings(db);
  const { filters, problems } = parseFilters(await searchParams);
  const period = periodOf(filters, settings.timeZone);
  let overview: Awaited<ReturnType<typeof getOverview>>;
  try {
    overview = await getOverview(db, { period, environment: filters.env });
  } catch (error) {
    if (!(error instanceof SliceError)) throw error;
    problems.push(`${error.message}: showing all production environments.`);
    filters.env = null;
    overview = await getOverview(db, { period });
  }
  const environments = await listEnvironments(db);

  if (overview.teams.length === 0 && overview.org.metrics.deploymentFrequency.current.deployments === 0) {
    return (
      <div className="card empty-state">
        <h1 style={{ marginBottom: 8 }}>Welcome to Throughline</h1>
        <p>
          No data yet. Create your teams, then connect a source (GitHub, a git clone or the push API) as
          described in the README.
        </p>
        {isAdmin ? (
          <p style={{ display: "flex", gap: 8, justifyContent: "center" }}>
            <Link className="btn btn-primary" href="/settings/teams">
              Create a team
            </Link>
            <Link className="btn" href="/settings/data">
              Load the demo organisation
            </Link>
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Delivery overview</h1>
          <p>
            {settings.name} · {formatLocalDate(period.from)} – {formatLocalDate(period.to)} ·{" "}
            {filters.env ?? "all production environments"}
          </p>
        </div>
        <FilterBar filters={filters} environments={environments} repos={[]} showRepo={false} />
      </div>
      {problems.map((p) => (
        <div className="alert" role="alert" key={p}>
          {p}
        </div>
      ))}

      <MetricCards metrics={overview.org.metrics} days={period.days} links={cardLinks(filters, null)} />

      <section className="section card" aria-labelledby="teams-title">
        <div className="card-pad section-head" style={{ marginBottom: 0, paddingBottom: 6 }}>
          <div>
            <h2 id="teams-title">Teams</h2>
            <p>
              Listed alphabetically. Compare each team with its own trend, not with other teams: DORA metrics
              describe how a system delivers, and a league table invites gaming the numbers.
            </p>
          </div>
        </div>
        {/* Fits the card at desktop widths; scrolls inside it (with a shadow cue) on tablets; stacks on a phone. */}
        <div className="table-wrap scroll-cue" data-testid="teams-table-wrap">
          <table data-testid="teams-table" className="teams-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col" className="num">
                  Deployment frequency
                </th>
                <th scope="col" className="num">
                  Change lead time
                </th>
                <th scope="col" className="num">
                  Change failure rate
                </th>
                <th scope="col" className="num">
                  Recovery time
                </th>
                <th scope="col" className="num">
                  Rework rate
                </th>
              </tr>
            </thead>
            <tbody>
              {overview.teams.map(({ team, metrics, series }) => {
                const rows = cardLinks(filters, team.slug);
                return (
                  <tr key={team.id}>
                    <th
                      scope="row"
                      className="team-cell"
                      style={{
                        textTransform: "none",
                        letterSpacing: 0,
                        fontSize: "0.92rem",
                        color: "var(--text)",
                      }}
                    >
                      <Link href={`/teams/${team.slug}${withFilters(filters)}`}>{team.name}</Link>
                      <div className="small muted" style={{ fontWeight: 400 }}>
                        {formatCount(team.repositories, "repository", "repositories")} ·{" "}
                        {formatCount(metrics.deploymentFrequency.current.deployments, "deployment")}
                      </div>
                    </th>
                    <MetricCell
                      label="Deployment frequency"
                      href={rows.deploymentFrequency}
                      band={metrics.deploymentFrequency.band}
                      spark={
                        <Sparkline
                          values={series.map((s) => s.deployments)}
                          label={`${team.name}: deployments per ${overview.granularity}`}
                        />
                      }
                    >
                      {formatFrequency(metrics.deploymentFrequency.current.perWeek)}
                    </MetricCell>
                    <MetricCell
                      label="Change lead time"
                      href={rows.changeLeadTime}
                      band={metrics.changeLeadTime.band}
                      spark={
                        <Sparkline
                          values={series.map((s) => s.leadTimeP50)}
                          label={`${team.name}: median lead time per ${overview.granularity}`}
                        />
                      }
                    >
                      {formatDuration(metrics.changeLeadTime.current.median)}
                    </MetricCell>
                    <MetricCell
                      label="Change failure rate"
                      href={rows.changeFailureRate}
                      band={metrics.changeFailureRate.band}
                    >
                      {formatPercent(metrics.changeFailureRate.current.rate)}
                    </MetricCell>
                    <MetricCell
                      label="Recovery time"
                      href={rows.recoveryTime}
                      band={metrics.recoveryTime.band}
                    >
                      {formatDuration(metrics.recoveryTime.current.median)}
                    </MetricCell>
                    <MetricCell label="Rework rate" href={rows.reworkRate} band={metrics.reworkRate.band}>
                      {formatPercent(metrics.reworkRate.current.rate)}
                    </MetricCell>
                  </tr>
                );
              })}
            </tbody>
            {overview.unowned.deployments > 0 ? (
              <caption>
                {overview.unowned.deployments} deployments belong to repositories no team owns: they count in
                the organisation figures above.
                {isAdmin ? (
                  <>
                    {" "}
                    <Link href="/settings/repositories">Assign them</Link>.
                  </>
                ) : null}
              </caption>
            ) : null}
          </table>
        </div>
      </section>

      <div className="section">
        <QualityPanel notes={overview.quality} />
      </div>
    </>
  );
}
