import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type DemoRepository, demoRepositories, demoTeams, resolveDemoOptions } from "@/lib/demo/generate";
import { Rng } from "@/lib/demo/random";
import {
  CiBuildRecord,
  CommitRecord,
  DeploymentRecord,
  IncidentRecord,
  PullRequestRecord,
  RepositoryRecord,
  ServiceRecord,
} from "@/lib/ingest/records";

const ANCHOR = "2026-11-20";
const END = Date.parse(`${ANCHOR}T23:59:59.999Z`);
const HEX40 = /^[0-9a-f]{40}$/;
const ms = (d: unknown) => (d instanceof Date ? d.getTime() : Number.NaN);

const digest = (repos: Iterable<DemoRepository>) => {
  const hash = createHash("sha1");
  for (const r of repos) hash.update(JSON.stringify(r));
  return hash.digest("hex");
};

describe("demo random", () => {
  it("is a seeded stream: same seed, same numbers; forks are independent of draws before them", () => {
    const a = new Rng("x");
    const b = new Rng("x");
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(new Rng("y").next()).not.toBe(new Rng("x").next());
    const c = new Rng("x");
    c.next();
    expect(c.fork("repo").next()).toBe(new Rng("x").fork("repo").next());
  });

  it("draws within bounds, with the median it was asked for", () => {
    const rng = new Rng("bounds");
    const ints = Array.from({ length: 2_000 }, () => rng.int(3, 7));
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(7);
    const durations = Array.from({ length: 4_001 }, () => rng.lognormal(10, 1)).sort((x, y) => x - y);
    expect(durations[2_000]).toBeGreaterThan(9);
    expect(durations[2_000]).toBeLessThan(11);
    expect(rng.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
  });
});

describe("demo generator", () => {
  // One full default organisation, generated once (about a second) and checked record by record.
  const repos = [...demoRepositories({ anchor: ANCHOR })];
  const byName = new Map(repos.map((r) => [r.repository.fullName, r]));

  it("is deterministic: the same seed and anchor give identical output, another seed does not", () => {
    const short = { anchor: ANCHOR, months: 2 };
    expect(digest(demoRepositories(short))).toBe(digest(demoRepositories(short)));
    expect(digest(demoRepositories({ ...short, seed: "other" }))).not.toBe(digest(demoRepositories(short)));
    expect(digest(repos)).toBe(digest(demoRepositories({ anchor: ANCHOR })));
  }, 60_000); // generates three organisations: seconds on a busy machine

  it("has six teams of 4–9 members and about 20 repositories named acme/…", () => {
    const teams = demoTeams({ anchor: ANCHOR });
    expect(teams.map((t) => t.slug)).toEqual([
      "payments",
      "checkout",
      "search",
      "identity",
      "data-platform",
      "billing-legacy",
    ]);
    for (const t of teams) {
      expect(t.members.length).toBeGreaterThanOrEqual(4);
      expect(t.members.length).toBeLessThanOrEqual(9);
      for (const m of t.members) expect(m).toMatch(/^[a-z]+\.[a-z-]+\d*$/);
    }
    expect(repos.length).toBeGreaterThanOrEqual(18);
    expect(repos.length).toBeLessThanOrEqual(22);
    for (const r of repos) expect(r.repository.fullName).toMatch(/^acme\/[a-z-]+$/);
  });

  it("scale 2 doubles the teams and repositories, with suffixed copies", () => {
    const teams = demoTeams({ anchor: ANCHOR, scale: 2 });
    expect(teams).toHaveLength(12);
    expect(teams.slice(0, 6)).toEqual(demoTeams({ anchor: ANCHOR }));
    expect(teams.slice(6).map((t) => t.slug)).toContain("payments-2");
    expect(new Set(teams.flatMap((t) => t.members)).size).toBe(teams.flatMap((t) => t.members).length);
    for (const t of teams) expect(t.members.length).toBeLessThanOrEqual(9);
    const names = teams.flatMap((t) => t.repositories);
    expect(names).toHaveLength(2 * repos.length);
    expect(names).toContain("acme/data-platform-2");
    expect(() => resolveDemoOptions({ scale: 0 })).toThrow(RangeError);
  });

  it("produces records the store accepts", () => {
    for (const r of repos) {
      for (const [schema, list] of [
        [RepositoryRecord, [r.repository]],
        [ServiceRecord, r.services],
        [CommitRecord, r.commits],
        [PullRequestRecord, r.pullRequests],
        [CiBuildRecord, r.ciBuilds],
        [DeploymentRecord, r.deployments],
        [IncidentRecord, r.incidents],
      ] as const) {
        for (const record of list as readonly unknown[]) {
          const parsed = schema.safeParse(record);
          if (!parsed.success) throw new Error(`${r.repository.fullName}: ${parsed.error.message}`);
        }
      }
      expect(r.repository).toMatchObject({ source: "demo", provider: "github" });
    }
  });

  it("holds a real commit graph: 40-hex SHAs, known parents, nothing after the anchor", () => {
    for (const r of repos) {
      const shas = new Set(r.commits.map((c) => c.sha));
      expect(shas.size).toBe(r.commits.length);
      for (const c of r.commits) {
        expect(c.sha).toMatch(HEX40);
        for (const p of c.parentShas) expect(shas.has(p)).toBe(true);
        expect(ms(c.authoredAt)).toBeLessThanOrEqual(ms(c.committedAt));
        expect(ms(c.committedAt)).toBeLessThanOrEqual(END);
      }
      expect(r.commits.filter((c) => c.parentShas.length === 0)).toHaveLength(1);
      expect(r.commits.some((c) => c.parentShas.length === 2)).toBe(true);
    }
  });

  it("orders every PR's timestamps and merges it into a commit of the graph", () => {
    for (const r of repos) {
      const commits = new Map(r.commits.map((c) => [c.sha, c]));
      const numbers = r.pullRequests.map((p) => p.number);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      for (const p of r.pullRequests) {
        const times = [p.firstCommitAt, p.createdAt, p.readyAt, p.firstReviewAt, p.approvedAt, p.mergedAt]
          .filter((t): t is Date => t !== null)
          .map(ms);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(Math.max(...times, ms(p.closedAt ?? new Date(0)))).toBeLessThanOrEqual(END);
        expect(p.headSha).toMatch(HEX40);
        if (p.state === "merged") {
          expect(p.mergeSha).toMatch(HEX40);
          const merge = commits.get(p.mergeSha as string);
          expect(merge).toBeDefined();
          expect(ms(merge?.committedAt)).toBe(ms(p.mergedAt));
        } else {
          expect(p.mergedAt).toBeNull();
        }
      }
      // Reverts name the PR they revert, the way GitHub's button does.
      for (const p of r.pullRequests.filter((x) => x.headBranch?.startsWith("revert-"))) {
        const n = Number(/^revert-(\d+)-/.exec(p.headBranch ?? "")?.[1]);
        const reverted = r.pullRequests[n - 1];
        expect(n).toBeLessThan(p.number);
        expect(reverted?.state).toBe("merged");
        expect(p.title).toBe(`Revert "${reverted?.title}"`);
      }
    }
    const all = repos.flatMap((r) => r.pullRequests);
    for (const label of ["hotfix", "dependencies"])
      expect(all.some((p) => p.labels.includes(label))).toBe(true);
    expect(all.some((p) => p.title.startsWith("Revert "))).toBe(true);
    expect(new Set(all.map((p) => p.mergeMethod))).toEqual(new Set(["squash", "merge", "rebase", null]));
    expect(all.some((p) => p.authorLogin === "dependabot[bot]")).toBe(true);
    expect(all.some((p) => p.state === "open")).toBe(true);
  });

  it("deploys main-line SHAs in order per chain: forward, or back for a rollback", () => {
    for (const r of repos) {
      // Main's first-parent line, oldest first: a deployed SHA's position on it says forward or back.
      const bySha = new Map(r.commits.map((c) => [c.sha, c]));
      const line: string[] = [];
      const parents = new Set(r.commits.flatMap((c) => c.parentShas));
      const heads = r.commits.filter((c) => !parents.has(c.sha));
      expect(heads).toHaveLength(1); // every commit is reachable from main's tip
      let tip: string | undefined = heads[0]?.sha;
      while (tip) {
        line.unshift(tip);
        tip = bySha.get(tip)?.parentShas[0];
      }
      const position = new Map(line.map((sha, i) => [sha, i]));

      const ids = new Set<string>();
      const chains = new Map<string, typeof r.deployments>();
      for (const d of r.deployments) {
        expect(ids.has(d.externalId)).toBe(false);
        ids.add(d.externalId);
        expect(d.source).toBe("demo");
        expect(position.has(d.sha)).toBe(true);
        expect(ms(d.createdAt)).toBeLessThanOrEqual(ms(d.finishedAt));
        expect(ms(d.finishedAt)).toBeLessThanOrEqual(END);
        // Merged before it was deployed.
        expect(ms(bySha.get(d.sha)?.committedAt)).toBeLessThanOrEqual(ms(d.startedAt));
        if (d.status !== "success") continue;
        const key = `${d.service ?? ""}|${d.environment}`;
        chains.set(key, [...(chains.get(key) ?? []), d]);
      }
      for (const [key, chain] of chains) {
        chain.sort((a, b) => ms(a.finishedAt) - ms(b.finishedAt));
        // The baseline is the first days of the history, far outside the default 90-day window.
        expect(ms(chain[0]?.finishedAt), key).toBeLessThan(END - 300 * 86_400_000);
        for (let i = 1; i < chain.length; i++) {
          const d = chain[i] as DemoRepository["deployments"][number];
          const back =
            (position.get(d.sha) as number) < (position.get(chain[i - 1]?.sha as string) as number);
          if (back) expect(d.trigger, `${r.repository.fullName} ${key} ${d.externalId}`).toBe("manual");
        }
      }
      for (const i of r.incidents) {
        expect(ms(i.openedAt)).toBeLessThanOrEqual(END);
        if (i.resolvedAt) expect(ms(i.resolvedAt)).toBeGreaterThanOrEqual(ms(i.openedAt));
        if (i.resolvedAt) expect(ms(i.resolvedAt)).toBeLessThanOrEqual(END);
        for (const ref of [i.causedBy, i.restoredBy]) if (ref) expect(ids.has(ref.externalId)).toBe(true);
      }
      for (const b of r.ciBuilds) expect(b.sha).toMatch(HEX40);
      expect(new Set(r.ciBuilds.map((b) => b.externalId)).size).toBe(r.ciBuilds.length);
    }
  });

  it("models the organisation's shapes: monorepo, two regions, no incidents for legacy, quiet weekends", () => {
    const mono = byName.get("acme/data-platform") as DemoRepository;
    expect(mono.services.map((s) => s.name)).toEqual(["ingest", "warehouse", "api"]);
    expect(new Set(mono.deployments.map((d) => d.service))).toEqual(new Set(["ingest", "warehouse", "api"]));
    for (const c of mono.commits.filter((x) => x.parentShas.length === 1)) {
      for (const path of c.changedPaths ?? []) expect(path).toMatch(/^services\/(ingest|warehouse|api)\//);
    }
    const checkout = repos.filter((r) => r.teamSlug === "checkout").flatMap((r) => r.deployments);
    expect(new Set(checkout.map((d) => d.environment))).toEqual(new Set(["staging", "prod-eu", "prod-us"]));
    const payments = repos.filter((r) => r.teamSlug === "payments").flatMap((r) => r.deployments);
    expect(new Set(payments.map((d) => d.environment))).toEqual(new Set(["staging", "production"]));
    expect(repos.filter((r) => r.teamSlug === "billing-legacy").flatMap((r) => r.incidents)).toHaveLength(0);
    expect(repos.flatMap((r) => r.incidents).length).toBeGreaterThan(50);

    const deployments = repos.flatMap((r) => r.deployments);
    const weekend = deployments.filter((d) => [0, 6].includes((d.finishedAt as Date).getUTCDay()));
    expect(weekend.length / deployments.length).toBeLessThan(0.03);
    expect(deployments.some((d) => d.status === "failure")).toBe(true);
    expect(deployments.some((d) => d.trigger === "manual")).toBe(true);
    expect(deployments.some((d) => d.fixes)).toBe(true);
  });
});
