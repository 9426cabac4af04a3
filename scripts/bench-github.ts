import os from "node:os";
import { sql } from "drizzle-orm";
import { openPglite } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import {
  demoRepository,
  type FakeRepository,
  fakeData,
  fromDemo,
  repoBuilder,
  startFakeGitHub,
} from "@/test/fakes/github";
import { config, sync } from "@/test/helpers/github";
import { main } from "./lib/cli";

/**
 * npm run bench:github — how many GitHub API requests a sync costs, on the fake GitHub (it speaks the real
 * protocol and answers the same queries, so request counts are what GitHub would see). Results go to
 * docs/benchmarks.md. Not a timing benchmark: GitHub's own latency and pacing dominate real syncs.
 */
main(async () => {
  const anchor = "2026-11-20";
  const big: FakeRepository[] = ["acme/payments-api", "acme/checkout-web"].map((n) =>
    fromDemo(demoRepository(n, { anchor, months: 24 })),
  );
  const small = Array.from({ length: 10 }, (_, i) => {
    const b = repoBuilder(`acme/service-${i}`, { start: "2026-10-01T09:00:00Z" });
    for (let k = 0; k < 5; k++) b.squashPR({ title: `change ${k}` });
    b.deploy({ env: "production" });
    b.run({});
    return b;
  });
  const fake = await startFakeGitHub({ data: fakeData(...big, ...small) });
  const handle = await openPglite(null);
  await handle.migrate();
  await handle.db.execute(sql`insert into org_settings (id) values (1) on conflict do nothing`);
  const names = [...big, ...small.map((b) => b.repo)].map((r) => `${r.owner}/${r.name}`);
  const cfg = config(`
github: { repositories: [${names.join(", ")}], since: 2024-11-01 }
incidents: { labels: [incident] }
`);
  const now = new Date("2026-11-21T00:00:00Z"); // the day after the data ends
  const prs =
    big.reduce((n, r) => n + r.pullRequests.length, 0) +
    small.reduce((n, b) => n + b.repo.pullRequests.length, 0);
  try {
    const t0 = performance.now();
    const full = await sync(handle.db, fake, cfg, { now });
    const fullMs = performance.now() - t0;
    const by = Object.fromEntries(full.client.byResource);
    const [rows] = await queryRows<Record<string, number>>(
      handle.db,
      sql`select (select count(*)::int from pull_requests) prs, (select count(*)::int from commits) commits,
                 (select count(*)::int from deployments) deployments, (select count(*)::int from ci_builds) runs,
                 (select count(*)::int from incidents) incidents`,
    );
    fake.reset();
    const quiet = await sync(handle.db, fake, cfg, { now });
    const quietStatuses = fake.requests.map((r) => r.status);

    // One repository changes a little: a merged PR and a deployment.
    const one = small[0];
    one?.squashPR({ title: "one more" });
    one?.deploy({ env: "production" });
    fake.reset();
    const changed = await sync(handle.db, fake, cfg, { now });

    const repos = names.length;
    console.log(
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}; fake GitHub on loopback; PGlite`,
    );
    console.log(`Fixture: ${repos} repositories, ${prs} pull requests (${JSON.stringify(rows)})\n`);
    console.log("| sync | requests | per PR | per repository | detail |\n|---|---|---|---|---|");
    console.log(
      `| full (first) | ${full.requests} | ${(full.requests / prs).toFixed(4)} | ${(full.requests / repos).toFixed(1)} | ${Object.entries(
        by,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}; ${(fullMs / 1000).toFixed(1)} s |`,
    );
    console.log(
      `| PR requests only (PRs with their first/last commit, reviews, labels, ready event) | ${by.pulls} | ${((by.pulls ?? 0) / prs).toFixed(4)} | | ${prs} PRs at 50 per query |`,
    );
    console.log(
      `| no change | ${quiet.requests} | | ${(quiet.requests / repos).toFixed(2)} | ${quietStatuses.filter((s) => s === 304).length} × 304 (free), ${quietStatuses.filter((s) => s === 200).length} × 200 |`,
    );
    console.log(
      `| one repository changed | ${changed.requests} | | ${(changed.requests / repos).toFixed(2)} | ${Object.entries(
        Object.fromEntries(changed.client.byResource),
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")} |`,
    );
  } finally {
    await fake.close();
    await handle.close();
  }
});
