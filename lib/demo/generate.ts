import { DAY, dayStart, historyStart, todayUtc } from "./calendar";
import { TEAM_PROFILES, type TeamProfile } from "./profiles";
import { Rng } from "./random";
import { type DemoRepository, simulateRepository } from "./simulate";
import { people } from "./words";

export type { DemoRepository } from "./simulate";

/**
 * The demo organisation, generated without a database: the same options always give the same records. Teams are
 * small and returned whole; repositories are produced one at a time by a generator, so that a benchmark-sized
 * organisation (scale 20, 24 months: ~400 repositories, ~500,000 deployments) streams through the store without
 * ever being held in memory at once.
 */

export interface DemoOptions {
  seed?: string;
  /** The last day of data, YYYY-MM-DD (UTC); default today. Nothing is generated after its end. */
  anchor?: string;
  months?: number;
  /** N → N×6 teams and ~N×20 repositories (copies get a `-2`, `-3`… suffix). */
  scale?: number;
}

export interface ResolvedDemoOptions {
  seed: string;
  anchor: string;
  months: number;
  scale: number;
  /** First instant of the history and last instant of the anchor day (epoch ms). */
  start: number;
  end: number;
}

export const DEFAULT_DEMO_SEED = "acme";

export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  // The history ends with the anchor day; by default yesterday (UTC), so that no deployment lies later than now
  // ("live since 21:46" at 04:30 was a demo day generated to its end).
  const anchor = options.anchor ?? todayUtc(new Date(Date.now() - DAY));
  const months = options.months ?? 12;
  const scale = options.scale ?? 1;
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw new RangeError(`months must be a whole number from 1 to 120 (got ${months})`);
  if (!Number.isInteger(scale) || scale < 1 || scale > 200)
    throw new RangeError(`scale must be a whole number from 1 to 200 (got ${scale})`);
  const end = dayStart(anchor) + DAY - 1;
  return { seed, anchor, months, scale, start: historyStart(anchor, months), end };
}

export interface DemoTeam {
  slug: string;
  name: string;
  description: string;
  /** Handles like `ana.kowalski`: PR authors and reviewers are drawn from these. */
  members: string[];
  profile: TeamProfile;
  /** 1 for the original six teams; 2, 3 … for the copies made by `scale`. */
  copy: number;
  /** Merge-rate multiplier: copies differ a little from the original. */
  activity: number;
  repositories: string[];
}

/** Every team of the organisation, originals first (so scale 1's teams are the first six of any scale). */
export function demoTeams(options: DemoOptions = {}): DemoTeam[] {
  const o = resolveDemoOptions(options);
  const rng = new Rng(o.seed).fork("teams");
  const taken = new Set<string>();
  const out: DemoTeam[] = [];
  for (let copy = 1; copy <= o.scale; copy++) {
    const suffix = copy === 1 ? "" : `-${copy}`;
    for (const profile of TEAM_PROFILES) {
      const size =
        copy === 1 ? profile.memberCount : Math.min(9, Math.max(4, profile.memberCount + rng.int(-1, 2)));
      out.push({
        slug: `${profile.slug}${suffix}`,
        name: copy === 1 ? profile.name : `${profile.name} ${copy}`,
        description: profile.description,
        members: people(rng, size, taken),
        profile,
        copy,
        // Copies lean a little busier than the originals: benchmark-sized orgs are dominated by fast teams.
        activity: copy === 1 ? 1 : rng.float(0.95, 1.25),
        repositories: profile.repos.map((r) => `acme/${r.name}${suffix}`),
      });
    }
  }
  return out;
}

/** The repositories, one at a time, each fully formed (records ready for lib/ingest/store). */
export function* demoRepositories(options: DemoOptions = {}): Generator<DemoRepository> {
  const o = resolveDemoOptions(options);
  const root = new Rng(o.seed);
  for (const team of demoTeams(o)) {
    for (const [i, repo] of team.profile.repos.entries()) {
      const fullName = team.repositories[i] as string;
      yield simulateRepository({
        // Each repository has its own stream: it does not matter which were generated before it.
        rng: root.fork(`repo/${fullName}/${o.anchor}/${o.months}`),
        salt: o.seed,
        fullName,
        teamSlug: team.slug,
        profile: team.profile,
        repo,
        members: team.members,
        activity: team.activity,
        start: o.start,
        end: o.end,
      });
    }
  }
}

export const demoRepositoryCount = (options: DemoOptions = {}) =>
  demoTeams(options).reduce((n, t) => n + t.repositories.length, 0);
