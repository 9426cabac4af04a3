import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentUser, requireRole } from "@/lib/auth/current";
import { listEnvironments, listRepositories, repoOptions } from "@/lib/catalog";
import { getReadDb } from "@/lib/db/replica";
import { listDeployments } from "@/lib/deployments";
import { formatLocalDate } from "@/lib/format";
import { getDashboard } from "@/lib/metrics/dashboard";
import { SliceError } from "@/lib/metrics/scope";
import { apiQuery, parseFilters, periodOf, type SearchParams, withFilters } from "@/lib/web/filters";
import { cardLinks, rowsHref } from "@/lib/web/rows-link";
import { Breakdown } from "../../_components/breakdown";
import { DashboardCharts } from "../../_components/dashboard-charts";
import { DeploymentsTable } from "../../_components/deployments-table";
import { FilterBar } from "../../_components/filter-bar";
import { MetricCards } from "../../_components/metric-cards";
import { QualityPanel } from "../../_components/quality-panel";
import { orgSettings, teamBySlug } from "../../_data";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  // Nothing about a team (not even whether it exists) before the role check.
  if (!(await currentUser())) return {};
  const { slug } = await params;
  const team = await teamBySlug(slug);
  return { title: team ? team.name : "Team not found" };
}

const WEEKDAYS = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export default async function TeamPage({ params, searchParams }: Props) {
  const user = await requireRole("viewer");
  const isAdmin = user.role === "admin";
  const [{ slug }, sp] = await Promise.all([params, searchParams]);
  const db = await getReadDb();
  const [team, settings] = await Promise.all([teamBySlug(slug), orgSettings()]);
  if (!team) notFound();
  const { filters, problems } = parseFilters(sp);
  const period = periodOf(filters, settings.timeZone);

  const slice = { team: slug, repo: filters.repo, service: filters.service, environment: filters.env };
  let dashboard: Awaited<ReturnType<typeof getDashboard>>;
  try {
    dashboard = await getDashboard(db, { slice, period });
  } catch (error) {
    if (!(error instanceof SliceError)) throw error;
    problems.push(`${error.message}: showing the whole team instead.`);
    filters.repo = filters.service = filters.env = null;
    dashboard = await getDashboard(db, { slice: { team: slug }, period });
  }
  const [environments, repos, recent] = await Promise.all([
    listEnvironments(db),
    listRepositories(db, { teamId: team.id }),
    listDeployments(db, { scope: dashboard.scope, period, zone: settings.timeZone, limit: 8 }),
  ]);
  const envLabel = dashboard.scope.environment ?? "all production environments";

  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/">Overview</Link> / Teams
          </div>
          <h1>{team.name}</h1>
          <p>
            {team.description ? `${team.description} · ` : ""}
            {team.repositories.length} {team.repositories.length === 1 ? "repository" : "repositories"} ·{" "}
            {team.members.length} {team.members.length === 1 ? "member" : "members"}
          </p>
        </div>
        <div style={{ display: "flex", gap: 8 }} className="no-print">
          <a className="btn" href={`/api/v1/metrics?${apiQuery(filters, slug, period)}`}>
            Export JSON
          </a>
          <Link className="btn" href={`/teams/${slug}/pipeline${withFilters(filters)}`}>
            Pipeline
          </Link>
          <Link className="btn" href={`/reports/view?team=${slug}&period=${period.from}..${period.to}`}>
            Report for this period
          </Link>
          {isAdmin ? (
            <Link className="btn" href={`/settings/teams/${slug}`}>
              Edit team
            </Link>
          ) : null}
        </div>
      </div>

      <FilterBar filters={filters} environments={environments} repos={repoOptions(repos)} />
      <p className="small muted" style={{ margin: "10px 0 18px" }} data-testid="period-label">
        {formatLocalDate(period.from)} – {formatLocalDate(period.to)} ({period.days} days) · {envLabel}
        {filters.repo ? ` · ${filters.repo}${filters.service ? ` · ${filters.service}` : ""}` : ""} · compared
        with {formatLocalDate(dashboard.previousPeriod.from)} – {formatLocalDate(dashboard.previousPeriod.to)}{" "}
        · times in {settings.timeZone}, weeks start on {WEEKDAYS[settings.weekStart]}
      </p>
      {problems.map((p) => (
        <div className="alert" role="alert" key={p}>
          {p}
        </div>
      ))}

      {repos.length === 0 ? (
        <div className="card empty-state">
          <h2>{team.name} owns no repositories yet</h2>
          <p>
            {isAdmin
              ? "Assign repositories or services to the team and its metrics appear here."
              : "Once an admin assigns repositories or services to the team, its metrics appear here."}
          </p>
          {isAdmin ? (
            <Link className="btn btn-primary" href={`/settings/teams/${slug}`}>
              Assign repositories
            </Link>
          ) : null}
        </div>
      ) : (
        <>
          <MetricCards metrics={dashboard.metrics} days={period.days} links={cardLinks(filters, slug)} />
          <div className="section">
            <DashboardCharts dashboard={dashboard} links={{ filters, team: slug }} />
          </div>
          <div className="section grid grid-split" style={{ alignItems: "start" }}>
            <Breakdown
              stats={dashboard.breakdown.current}
              series={dashboard.breakdown.series}
              granularity={dashboard.granularity}
            />
            <QualityPanel notes={dashboard.quality} />
          </div>
          <section className="section card" aria-labelledby="recent-title">
            <div className="card-pad section-head" style={{ marginBottom: 0 }}>
              <h2 id="recent-title">Recent deployments</h2>
              <Link href={rowsHref({ filters, team: slug, outcome: "counted" })}>
                All {dashboard.metrics.deploymentFrequency.current.deployments} counted in this period →
              </Link>
            </div>
            <DeploymentsTable rows={recent.rows} zone={settings.timeZone} />
          </section>
        </>
      )}
    </>
  );
}
