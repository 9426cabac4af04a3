import { defaultServiceName } from "@/lib/ingest/store";
import { ciBuilds } from "./builds";
import { DAY, HOUR, isWorkingDay, MINUTE, nextWorkingInstant, startOfDay, weekday } from "./calendar";
import {
  Delivery,
  type DemoBuild,
  type DemoDeployment,
  type DemoIncident,
  type Release,
  type Shipped,
  type Unit,
} from "./deploy";
import { type DemoCommit, type DemoPr, type DemoPullRequest, type Landing, RepoGraph } from "./graph";
import { at, OPERATIONS, type RepoProfile, type TeamProfile } from "./profiles";
import { type PlanContext, planBot, planFeature, planRemedy } from "./pulls";
import { EventQueue } from "./queue";
import type { Rng } from "./random";

/**
 * One repository's year, as a discrete-event simulation: PRs are planned when their first commit is written and
 * land on main when they merge; release cadences deploy main to staging and production; some production releases
 * fail, and the team rolls back, reverts, hotfixes or fights an incident — each leaving the traces derive reads.
 */

export interface RepoInput {
  rng: Rng;
  /** Salt for commit SHAs (the seed). */
  salt: string;
  fullName: string;
  teamSlug: string;
  profile: TeamProfile;
  repo: RepoProfile;
  members: readonly string[];
  /** Multiplies the merge rate (scaled copies of a team differ a little). */
  activity: number;
  start: number;
  end: number;
}

export interface DemoRepository {
  teamSlug: string;
  repository: {
    fullName: string;
    provider: "github";
    url: string;
    defaultBranch: string;
    teamSlug: string;
    archived: boolean;
    source: "demo";
  };
  services: { repository: string; name: string; pathPrefixes: string[] }[];
  commits: DemoCommit[];
  pullRequests: DemoPullRequest[];
  ciBuilds: DemoBuild[];
  deployments: DemoDeployment[];
  incidents: DemoIncident[];
}

export function simulateRepository(input: RepoInput): DemoRepository {
  const { profile: pf, start, end, fullName } = input;
  const ops = input.rng.fork("ops");
  const graph = new RepoGraph(input.rng.fork("commits"), fullName, input.salt);
  const delivery = new Delivery(ops, graph, end);
  const queue = new EventQueue();
  const progress = (t: number) => Math.min(1, Math.max(0, (t - start) / (end - start)));
  const cadence = input.repo.cadence ?? pf.cadence;
  const units: Unit[] = input.repo.services
    ? input.repo.services.map((s) => delivery.unit(s.name, s.name, s.prefix, pf.production))
    : [delivery.unit(defaultServiceName(fullName), null, null, pf.production)];
  const ctx: PlanContext = {
    rng: input.rng.fork("prs"),
    graph,
    profile: pf,
    members: input.members,
    units: units.map((u) => ({ name: u.name, prefix: u.prefix })),
    progress,
  };
  const minutes = (from: number, to: number) => Math.round(ops.float(from, to) * MINUTE);

  // ---- main: PRs land when they merge ----
  const land = (pr: DemoPr, after?: (landing: Landing) => void) => {
    if (pr.mergeAt === null || pr.mergeAt > end) return;
    queue.schedule(pr.mergeAt, (t) => {
      const landing = graph.land(pr, t);
      for (const u of units) {
        if (!pr.units.includes(u.name)) continue;
        u.touches.push(landing.index);
        if (cadence.kind === "on-merge") trigger(u, t);
      }
      after?.(landing);
    });
  };

  graph.root(
    start - 7 * DAY - minutes(0, 600),
    ctx.rng.pick(input.members),
    input.repo.services ? input.repo.services.map((s) => `${s.prefix}README.md`) : null,
  );
  for (const u of units) u.touches.push(0);
  planArrivals(ctx, input, land);

  // ---- releases ----
  const release = (u: Unit, index: number, t: number) => {
    if (t < u.blockedUntil || index < u.needIndex) return;
    // Release trains are started by hand (a release manager presses the button); the rest by CI.
    const shipped = delivery.release(u, index, t, { trigger: cadence.kind === "train" ? "manual" : "ci" });
    if (shipped && shipped.newPrs.length > 0 && ops.chance(at(pf.changeFailure, progress(t))))
      fail(u, shipped, index);
  };
  const soak = () => minutes(pf.soakMinutes[0], pf.soakMinutes[1]);
  /** Stage main's tip, then promote what staging runs after the soak. */
  const pipeline = (u: Unit, t: number, then?: (t: number) => void) => {
    const staged = delivery.stage(u, t);
    const index = u.staging.live;
    queue.schedule((staged ?? t) + soak(), (t2) => {
      release(u, index, t2);
      then?.(t2);
    });
  };
  /** Continuous delivery: one pipeline run at a time; merges during a run ride the next one. */
  const trigger = (u: Unit, t: number) => {
    if (u.pipelineQueued || t < u.blockedUntil) return;
    u.pipelineQueued = true;
    queue.schedule(t + Math.round(pf.ciMinutes * ops.float(0.8, 1.4) * MINUTE), (t1) => {
      if (t1 < u.blockedUntil) {
        u.pipelineQueued = false;
        return;
      }
      pipeline(u, t1, (t2) => {
        u.pipelineQueued = false;
        if (delivery.hasNew(u, (u.production[0] as { live: number }).live, graph.tip.index)) trigger(u, t2);
      });
    });
  };

  // The first deployment of every chain, right at the start: the baseline lies outside any recent window.
  const baselineAt = nextWorkingInstant(start) + minutes(20, 80);
  queue.schedule(baselineAt, (t) => {
    for (const u of units) {
      const staged = delivery.stage(u, t, true);
      delivery.release(u, u.staging.live, (staged ?? t) + soak(), { remedy: true });
    }
  });
  scheduleCadence(input, units, ops, queue, (u, kind, t) => {
    if (t < baselineAt + HOUR) return;
    if (kind === "window") {
      if (t >= u.blockedUntil) pipeline(u, t);
    } else if (kind === "nightly") delivery.stage(u, t);
    else release(u, u.staging.live, t);
  });

  // ---- failures and their remedies ----
  const fail = (u: Unit, failed: Release, index: number) => {
    const f = failed.finishedAt;
    const culprit = ops.pick(failed.newPrs);
    const recovery = Math.max(8 * MINUTE, ops.lognormal(at(pf.recoveryHours, progress(f)), 0.9) * HOUR);
    const modes = pf.incidentShare > 0 ? pf.failureModes : { ...pf.failureModes, incident: 0 };
    const mode = ops.weighted(modes);
    const detect = Math.max(
      2 * MINUTE,
      Math.min(ops.lognormal(pf.detectMinutes, 0.8) * MINUTE, recovery * 0.5),
    );
    u.blockedUntil = Number.POSITIVE_INFINITY;
    const incident =
      pf.incidentShare > 0 && (mode === "incident" || ops.chance(pf.incidentShare))
        ? delivery.openIncident(u, Math.round(f + detect), false)
        : null;
    if (incident) {
      // Some incident tools name the culprit; the rest are tied to it by time (derive's window link).
      const named = ops.next();
      if (named < 0.25) incident.causedBy = (failed.deploys[failed.deploys.length - 1] as Shipped).ref;
      else if (named < 0.45) incident.causedBySha = culprit.mergeSha;
    }
    const restored = (shipped: readonly Shipped[], t: number) => {
      if (!incident) return;
      const last = shipped[shipped.length - 1];
      incident.resolvedAt = (last?.at ?? t) + minutes(2, 30);
      if (last && ops.chance(0.5)) incident.restoredBy = last.ref;
    };
    const unblock = (t: number, need = -1) => {
      u.blockedUntil = t;
      u.needIndex = Math.max(u.needIndex, need);
      if (cadence.kind === "on-merge") trigger(u, t);
    };
    if (mode === "incident" && incident) {
      // Fixed without a deployment (a flag, a config change, scaling up): the incident is the only trace.
      incident.resolvedAt = Math.round(f + recovery);
      queue.schedule(incident.openedAt + MINUTE, (t) => unblock(t));
    } else if (mode === "rollback") {
      queue.schedule(Math.round(f + recovery), (t) => restored(delivery.rollback(u, t, index), t));
      const fix = planRemedy(
        ctx,
        "fix",
        culprit,
        Math.round(f + detect) + minutes(5, 30),
        Math.round(f + recovery + ops.lognormal(90, 0.6) * MINUTE),
      );
      land(fix, (l) => unblock(l.at, l.index));
    } else {
      const pipelineTime = (pf.ciMinutes + 12) * MINUTE;
      const pr = planRemedy(
        ctx,
        mode === "hotfix" ? "hotfix" : "revert",
        culprit,
        Math.round(f + detect) + minutes(3, 15),
        Math.round(f + recovery - pipelineTime),
      );
      const declared = mode === "hotfix" && ops.chance(OPERATIONS.declaredFixShare);
      land(pr, (l) =>
        queue.schedule(l.at + Math.round(pf.ciMinutes * ops.float(0.8, 1.2) * MINUTE), (t) => {
          const staged = delivery.stage(u, t, true);
          const out = delivery.release(u, u.staging.live, (staged ?? t) + minutes(3, 8), {
            remedy: true,
            hotfix: mode === "hotfix",
            fixes: declared ? failed.deploys : undefined,
          });
          restored(out?.deploys ?? [], t);
          unblock(out?.finishedAt ?? t, l.index);
        }),
      );
    }
  };

  queue.runUntil(end);
  if (pf.incidentShare > 0) unrelatedIncidents(input, units, delivery, ops);

  const { commits, pullRequests } = graph.finish(end);
  return {
    teamSlug: input.teamSlug,
    repository: {
      fullName,
      provider: "github",
      url: `https://github.com/${fullName}`,
      defaultBranch: "main",
      teamSlug: input.teamSlug,
      archived: false,
      source: "demo",
    },
    services: units
      .filter((u) => u.prefix !== null)
      .map((u) => ({ repository: fullName, name: u.name, pathPrefixes: [u.prefix as string] })),
    commits,
    pullRequests,
    ciBuilds: [
      ...ciBuilds(
        ops,
        { minutes: pf.ciMinutes, queueMinutes: pf.ciQueueMinutes, flakyShare: pf.flakyShare },
        pullRequests,
        graph.landings,
        end,
      ),
      ...delivery.builds,
    ],
    deployments: delivery.deployments,
    incidents: delivery.incidentRecords(),
  };
}

/** Human PRs on working days (a trickle at weekends) and the bot's weekly dependency bumps on Monday mornings. */
function planArrivals(ctx: PlanContext, input: RepoInput, land: (pr: DemoPr) => void) {
  const { rng, profile: pf } = ctx;
  for (let day = startOfDay(input.start); day <= input.end; day += DAY) {
    const working = isWorkingDay(day);
    const rate =
      (at(pf.mergesPerDay, ctx.progress(day)) * input.repo.activity * input.activity) / (1 - pf.abandonShare);
    const count = rng.poisson(working ? rate : rate * 0.04);
    const times = Array.from({ length: count }, () =>
      Math.round(day + (working ? 8 : 10) * HOUR + rng.float(0, 9.5) * HOUR),
    ).sort((a, b) => a - b);
    for (const t of times) if (t >= input.start && t <= input.end) land(planFeature(ctx, t));
    if (weekday(day) === 1) {
      const bumps = rng.poisson(pf.bot.perWeek * (input.repo.services ? 1.5 : 1));
      for (let i = 0; i < bumps; i++) {
        const t = Math.round(day + 4 * HOUR + rng.float(0, 3) * HOUR);
        if (t >= input.start && t <= input.end) land(planBot(ctx, t));
      }
    }
  }
}

type Tick = "window" | "nightly" | "release";

/** The release calendar of each unit, laid out in advance (whether a tick deploys is decided when it comes). */
function scheduleCadence(
  input: RepoInput,
  units: Unit[],
  rng: Rng,
  queue: EventQueue,
  run: (u: Unit, kind: Tick, t: number) => void,
) {
  const { start, end } = input;
  const cadence = input.repo.cadence ?? input.profile.cadence;
  if (cadence.kind === "on-merge") return;
  const tick = (when: number, u: Unit, kind: Tick) => queue.schedule(when, (t) => run(u, kind, t));
  units.forEach((u, k) => {
    let nextTrain = start + 7 * DAY;
    for (let day = startOfDay(start); day <= end; day += DAY) {
      if (!isWorkingDay(day)) continue;
      const p = (day - start) / (end - start);
      if (cadence.kind === "windows") {
        const n = rng.poisson(at(cadence.perDay, p));
        for (let i = 0; i < n; i++) tick(Math.round(day + 10 * HOUR + rng.float(0, 6.5) * HOUR), u, "window");
        continue;
      }
      tick(Math.round(day + 18.5 * HOUR + rng.float(0, 1) * HOUR), u, "nightly");
      // A monorepo's services release on different days, so one bad week does not stop them all.
      const releaseDay = cadence.kind === "weekly" ? ((cadence.weekday - 1 + k) % 5) + 1 : 2;
      if (weekday(day) !== releaseDay) continue;
      if (cadence.kind === "train") {
        if (day < nextTrain) continue;
        nextTrain += at(cadence.everyWeeks, p) * 7 * DAY;
      }
      if (rng.chance(at(cadence.skip ?? 0.06, p))) continue; // a skipped release: holidays, a freeze
      tick(Math.round(day + 10 * HOUR + rng.float(0, 3) * HOUR), u, "release");
    }
  });
}

/**
 * Incidents with no deployment behind them (an upstream outage, an expired certificate), placed more than a day
 * after the unit's last production deployment so that derive's window link leaves them unlinked, as it should.
 */
function unrelatedIncidents(input: RepoInput, units: Unit[], delivery: Delivery, rng: Rng) {
  const years = (input.end - input.start) / (365 * DAY);
  const count = rng.poisson(OPERATIONS.unrelatedIncidentsPerYear * years);
  for (let i = 0; i < count; i++) {
    const u = rng.pick(units);
    const times = u.production.flatMap((e) => e.history.map((s) => s.at)).sort((a, b) => a - b);
    const gaps: [number, number][] = [];
    times.forEach((t, j) => {
      const lo = t + 25 * HOUR;
      const hi = (times[j + 1] ?? input.end - 2 * HOUR) - 30 * MINUTE;
      if (hi - lo > HOUR && lo > input.start + 3 * DAY) gaps.push([lo, hi]);
    });
    if (gaps.length === 0) continue;
    const [lo, hi] = rng.pick(gaps);
    const openedAt = Math.round(rng.float(lo, hi));
    const incident = delivery.openIncident(u, openedAt, true);
    incident.resolvedAt = openedAt + Math.round(rng.lognormal(2, 0.7) * HOUR);
  }
}
