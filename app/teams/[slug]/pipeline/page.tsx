import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentUser, requireRole } from "@/lib/auth/current";
import { listEnvironments, listRepositories, repoOptions } from "@/lib/catalog";
import { changesForStage, isStageKey, toStageFlow, toStageTrends } from "@/lib/charts/pipeline";
import { getDb } from "@/lib/db";
import { formatLocalDate } from "@/lib/format";
import { SliceError } from "@/lib/metrics/scope";
import { getPipeline, type Pipeline } from "@/lib/pipeline";
import { apiQuery, parseFilters, periodOf, type SearchParams, withFilters } from "@/lib/web/filters";
import { FilterBar } from "../../../_components/filter-bar";
import { CiHealthCard } from "../../../_components/pipeline/ci-health-card";
import { FocusAreas } from "../../../_components/pipeline/focus-areas";
import { StageChanges } from "../../../_components/pipeline/stage-changes";
import { StageFlow } from "../../../_components/pipeline/stage-flow";
import { StageTrends } from "../../../_components/pipeline/stage-trends";
import { orgSettings, teamBySlug } from "../../../_data";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!(await currentUser())) return {};
  const { slug } = await params;
  const team = await teamBySlug(slug);
  return { title: team ? `${team.name}: pipeline` : "Team not found" };
}

/** A team's delivery pipeline (per repository or service with the filters): stages, CI health, where to focus. */
export default async function PipelinePage({ params, searchParams }: Props) {
  await requireRole("viewer");
  const [{ slug }, sp] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const [team, settings] = await Promise.all([teamBySlug(slug), orgSettings()]);
  if (!team) notFound();
  const { filters, problems } = parseFilters(sp);
  const period = periodOf(filters, settings.timeZone);
  const stageParam = typeof sp.stage === "string" ? sp.stage : null;
  const stage = isStageKey(stageParam) ? stageParam : null;
  if (stageParam && !stage) problems.push(`Unknown stage '${stageParam}': choose one of the stages below.`);

  let pipeline: Pipeline;
  try {
    pipeline = await getPipeline(db, {
      slice: { team: slug, repo: filters.repo, service: filters.service, environment: filters.env },
      period,
    });
  } catch (error) {
    if (!(error instanceof SliceError)) throw error;
    problems.push(`${error.message}: showing the whole team instead.`);
    filters.repo = filters.service = filters.env = null;
    pipeline = await getPipeline(db, { slice: { team: slug }, period });
  }
  const [environments, repos] = await Promise.all([
    listEnvironments(db),
    listRepositories(db, { teamId: team.id }),
  ]);
  const d = pipeline.dashboard;
  const base = withFilters(filters);
  const stageHref = (key: string) => `${base}${base ? "&" : "?"}stage=${key}#changes`;
  const behind = stage ? pipeline.changes.filter((c) => c.spans[stage] !== null).length : 0;

  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/">Overview</Link> / <Link href={`/teams/${slug}${base}`}>{team.name}</Link> /
            Pipeline
          </div>
          <h1>{team.name}: delivery pipeline</h1>
          <p>
            {formatLocalDate(period.from)} – {formatLocalDate(period.to)} ({period.days} days) ·{" "}
            {d.scope.environment ?? "all production environments"}
            {filters.repo ? ` · ${filters.repo}${filters.service ? ` · ${filters.service}` : ""}` : ""}
          </p>
        </div>
        <div style={{ display: "flex", gap: 8 }} className="no-print">
          <a className="btn" href={`/api/v1/pipeline?${apiQuery(filters, slug, period)}`}>
            Export JSON
          </a>
          <Link className="btn" href={`/teams/${slug}${base}`}>
            DORA metrics
          </Link>
        </div>
      </div>
      <FilterBar filters={filters} environments={environments} repos={repoOptions(repos)} />
      {problems.map((p) => (
        <div className="alert" role="alert" key={p}>
          {p}
        </div>
      ))}
      <div className="section">
        <StageFlow
          steps={toStageFlow(pipeline.stages)}
          changes={pipeline.stages.changes}
          total={{ median: pipeline.stages.total.p50, p90: pipeline.stages.total.p90 }}
          restore={d.metrics.recoveryTime.current}
          days={d.previousPeriod.days}
          href={stageHref}
        />
        {pipeline.stages.changes > 0 ? (
          <p className="small muted">
            {pipeline.stages.unreviewed} merged without review (no review stages) ·{" "}
            {pipeline.stages.withoutCi} without a CI run of the merge commit (their wait for deployment holds
            their CI) · {pipeline.stages.withoutFirstCommit} without a known first commit.
          </p>
        ) : null}
      </div>
      {stage ? (
        <StageChanges
          stage={stage}
          rows={changesForStage(pipeline.changes, stage)}
          total={behind}
          zone={settings.timeZone}
        />
      ) : null}
      <div className="section grid grid-split" style={{ alignItems: "start" }}>
        <FocusAreas focus={pipeline.focus} candidates={pipeline.candidates} />
        <CiHealthCard ci={pipeline.ci.current} previous={pipeline.ci.previous} />
      </div>
      <div className="section">
        <StageTrends trends={toStageTrends(pipeline.stages, d.granularity)} />
      </div>
    </>
  );
}
