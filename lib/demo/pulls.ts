import { addWorkingTime, HOUR, MINUTE } from "./calendar";
import type { DemoPr, RepoGraph } from "./graph";
import { at, type TeamProfile } from "./profiles";
import type { Rng } from "./random";
import { botChange, prTitle, slugify } from "./words";

/**
 * The life of a pull request, planned when its first commit is written: coding until ready for review, waiting
 * for a reviewer, review rounds, merge. Times are in working hours (a review does not happen at 3 a.m.), except
 * for a small share of people working late and for remediation, which happens whenever production is on fire.
 */

export interface PlanContext {
  rng: Rng;
  graph: RepoGraph;
  profile: TeamProfile;
  members: readonly string[];
  /** Deploy units and their path prefix (null: the whole repository). */
  units: readonly { name: string; prefix: string | null }[];
  /** 0 at the start of the history, 1 at its end. */
  progress: (t: number) => number;
}

const LATE_SHARE = 0.06;

/** Working time, or now and then plain clock time (someone finishing a change in the evening). */
function later(ctx: PlanContext, from: number, hours: number): number {
  const d = hours * HOUR;
  return ctx.rng.chance(LATE_SHARE) ? from + d : addWorkingTime(from, d);
}

function touching(ctx: PlanContext, count: number): { units: string[]; paths: string[] | null } {
  const { rng } = ctx;
  const chosen = rng.sample(ctx.units, count);
  const first = chosen[0];
  if (!first || first.prefix === null) return { units: ctx.units.map((u) => u.name), paths: null };
  const paths: string[] = [];
  for (const u of chosen) {
    const files = rng.geometric(3);
    const area = rng.pick(["src", "src/handlers", "src/lib", "test", "config"]);
    for (let i = 0; i < files; i++)
      paths.push(`${u.prefix}${area}/${rng.pick(["core", "io", "model", "util", "job"])}${i}.ts`);
  }
  return { units: chosen.map((u) => u.name), paths: [...new Set(paths)] };
}

function size(rng: Rng, scale = 1) {
  const additions = Math.round(rng.lognormal(60 * scale, 1.1));
  return {
    additions,
    deletions: Math.round(rng.lognormal(20 * scale, 1.2)),
    changedFiles: Math.max(1, Math.round(rng.lognormal(4 * Math.sqrt(scale), 0.8))),
  };
}

/** Commit author times: the first at `from`, the rest spread up to `to`. */
function commitTimes(rng: Rng, count: number, from: number, to: number): number[] {
  const rest = Array.from({ length: count - 1 }, () => from + rng.float(0.05, 1) * (to - from));
  return [from, ...rest.sort((a, b) => a - b).map(Math.round)];
}

/** A human PR whose first commit is at `t0`. */
export function planFeature(ctx: PlanContext, t0: number): DemoPr {
  const { rng, profile: pf } = ctx;
  const p = ctx.progress(t0);
  const author = rng.pick(ctx.members);
  const title = prTitle(rng, pf.topics);
  const readyAt = later(ctx, t0, rng.lognormal(at(pf.codingHours, p), pf.spread));
  const times = commitTimes(rng, rng.geometric(pf.commitsPerPr), t0, readyAt);
  const createdAt = rng.chance(pf.draftShare)
    ? Math.round(t0 + rng.float(0.1, 0.6) * (readyAt - t0))
    : readyAt;
  const others = ctx.members.filter((m) => m !== author);
  const reviewers = rng.sample(others, rng.chance(0.3) ? 2 : 1);
  let firstReviewAt: number | null = null;
  let approvedAt: number | null = null;
  let mergeAt: number | null = null;
  let closedAt: number | null = null;
  if (rng.chance(pf.abandonShare)) {
    if (rng.chance(0.5)) firstReviewAt = later(ctx, readyAt, rng.lognormal(at(pf.pickupHours, p), pf.spread));
    closedAt = later(ctx, firstReviewAt ?? readyAt, rng.lognormal(20, 1));
  } else if (rng.chance(pf.unreviewedShare)) {
    mergeAt = readyAt + Math.round(rng.lognormal(20, 0.8) * MINUTE);
  } else {
    firstReviewAt = later(ctx, readyAt, rng.lognormal(at(pf.pickupHours, p), pf.spread));
    approvedAt = later(ctx, firstReviewAt, rng.lognormal(at(pf.reviewHours, p), pf.spread));
    mergeAt = approvedAt + Math.round(rng.lognormal(12, 0.9) * MINUTE);
  }
  return ctx.graph.addPr({
    kind: "feature",
    title,
    body: null,
    author,
    branch: `${author.split(".")[0]}/${slugify(title)}`,
    method: rng.weighted(pf.mergeMethods),
    firstCommitAt: t0,
    createdAt,
    readyAt,
    firstReviewAt,
    approvedAt,
    mergeAt,
    closedAt,
    commitTimes: times,
    reviewers: firstReviewAt === null ? [] : reviewers,
    labels: rng.chance(0.3) ? [rng.pick(["feature", "bug", "chore", "tech-debt"])] : [],
    ...size(rng),
    ...touching(ctx, rng.chance(0.1) ? 2 : 1),
    reverts: null,
  });
}

/** A dependency bump opened by the team's bot at `t`: reviewed and merged by a person, or superseded. */
export function planBot(ctx: PlanContext, t: number): DemoPr {
  const { rng, profile: pf } = ctx;
  const login = pf.bot.login;
  const change = botChange(rng, login);
  const merged = rng.chance(pf.bot.mergeShare);
  const firstReviewAt = merged
    ? later(ctx, t, rng.lognormal(at(pf.pickupHours, ctx.progress(t)), pf.spread))
    : null;
  const approvedAt = firstReviewAt === null ? null : firstReviewAt + Math.round(rng.float(1, 10) * MINUTE);
  return ctx.graph.addPr({
    kind: "bot",
    title: change.title,
    body: null,
    author: login,
    branch: change.branch,
    method: rng.weighted(pf.mergeMethods),
    firstCommitAt: t,
    createdAt: t,
    readyAt: t,
    firstReviewAt,
    approvedAt,
    mergeAt: approvedAt === null ? null : approvedAt + Math.round(rng.float(1, 20) * MINUTE),
    closedAt: merged ? null : t + Math.round(rng.float(5, 14) * 24 * HOUR),
    commitTimes: [t],
    reviewers: firstReviewAt === null ? [] : rng.sample(ctx.members, 1),
    labels: ["dependencies"],
    additions: rng.int(2, 40),
    deletions: rng.int(2, 40),
    changedFiles: rng.int(1, 3),
    ...botPaths(ctx),
    reverts: null,
  });
}

function botPaths(ctx: PlanContext): { units: string[]; paths: string[] | null } {
  const unit = ctx.rng.pick(ctx.units);
  if (unit.prefix === null) return { units: ctx.units.map((u) => u.name), paths: null };
  return { units: [unit.name], paths: [`${unit.prefix}package.json`, `${unit.prefix}package-lock.json`] };
}

/**
 * A PR that remedies a failed deployment, first commit at `start`, merged no earlier than `mergeNotBefore`:
 * a revert of the culprit, a hotfix (labelled), or a regular fix after a rollback bought time.
 */
export function planRemedy(
  ctx: PlanContext,
  kind: "revert" | "hotfix" | "fix",
  culprit: DemoPr,
  start: number,
  mergeNotBefore: number,
): DemoPr {
  const { rng, profile: pf } = ctx;
  const author = rng.pick(ctx.members);
  const codingMinutes =
    kind === "revert" ? rng.float(1, 5) : kind === "hotfix" ? rng.lognormal(30, 0.6) : rng.lognormal(90, 0.7);
  const readyAt = start + Math.round(codingMinutes * MINUTE);
  const unreviewed = kind === "hotfix" ? rng.chance(0.35) : kind === "revert" ? rng.chance(0.15) : false;
  const quickMerge =
    readyAt + Math.round(rng.lognormal(kind === "fix" ? 60 : pf.remedyMinutes, 0.6) * MINUTE);
  const mergeAt = Math.max(quickMerge, mergeNotBefore);
  const firstReviewAt = unreviewed ? null : Math.round(readyAt + (mergeAt - readyAt) * rng.float(0.3, 0.7));
  const approvedAt =
    firstReviewAt === null
      ? null
      : Math.round(firstReviewAt + (mergeAt - firstReviewAt) * rng.float(0.5, 0.95));
  const topic = culprit.title.replace(
    /^(Add|Fix|Refactor|Speed up|Handle|Remove|Improve|Validate|Log|Cache) /,
    "",
  );
  const title =
    kind === "revert"
      ? `Revert "${culprit.title}"`
      : kind === "hotfix"
        ? `Hotfix: ${topic}`
        : `Fix regression in ${topic}`;
  const times = kind === "revert" ? [start] : commitTimes(rng, rng.chance(0.3) ? 2 : 1, start, readyAt);
  return ctx.graph.addPr({
    kind,
    title,
    body: null,
    author,
    // A revert's branch names the PR number, known only once numbers are assigned (RepoGraph.finish).
    branch: kind === "hotfix" ? `hotfix/${slugify(topic)}` : `${author.split(".")[0]}/${slugify(title)}`,
    method: rng.weighted(pf.mergeMethods),
    firstCommitAt: start,
    createdAt: readyAt,
    readyAt,
    firstReviewAt,
    approvedAt,
    mergeAt,
    closedAt: null,
    commitTimes: times,
    reviewers:
      firstReviewAt === null
        ? []
        : rng.sample(
            ctx.members.filter((m) => m !== author),
            1,
          ),
    labels: kind === "hotfix" ? ["hotfix"] : kind === "fix" ? ["bug"] : [],
    ...(kind === "revert"
      ? { additions: culprit.deletions, deletions: culprit.additions, changedFiles: culprit.changedFiles }
      : size(rng, 0.3)),
    units: culprit.units,
    paths: culprit.paths,
    reverts: kind === "revert" ? culprit : null,
  });
}
