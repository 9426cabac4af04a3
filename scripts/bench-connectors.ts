import os from "node:os";
import { sql } from "drizzle-orm";
import { type Db, openPglite } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { upsertCiBuilds, upsertIncidents, upsertRepositories } from "@/lib/ingest/store";
import { JenkinsModel, startFakeJenkins } from "@/test/fakes/jenkins";
import { OpsgenieModel, startFakeOpsgenie } from "@/test/fakes/opsgenie";
import { PagerDutyModel, startFakePagerDuty } from "@/test/fakes/pagerduty";
import { sha } from "@/test/fixtures/sha";
import { syncJenkinsFake, syncOpsgenieFake, syncPagerDutyFake } from "@/test/helpers/connectors";
import { main } from "./lib/cli";

/**
 * npm run bench:connectors — how many API requests the Jenkins, PagerDuty and Opsgenie syncs cost per build and per
 * incident, on a first sync, a quiet re-sync (target: ≤ 2 requests per source) and a re-sync after a little
 * change, against the local fakes (they answer what the real APIs would, so the counts are what the vendors would
 * see). Beside each sync's time: the time to write the same rows through the store alone, in the same run.
 * Results go to docs/benchmarks.md.
 */

const NOW = new Date("2026-11-21T00:00:00Z");
/** Re-syncs happen a little later (incident windows end at the sync's start). */
const LATER = new Date("2026-11-21T01:00:00Z");
const DAY = 86_400_000;
const START = Date.parse("2025-11-22T00:00:00Z");

function jenkinsFixture(): { model: JenkinsModel; builds: number } {
  const m = new JenkinsModel();
  let builds = 0;
  // 8 teams × (a multibranch pipeline with 3 branches + a deploy job): 32 jobs, one build every ~8 h per job.
  for (let t = 0; t < 8; t++) {
    const remote = `git@github.com:acme/service-${t}.git`;
    m.job(`team-${t}/service`, "multibranch");
    for (const branch of ["main", "develop", "release"]) {
      for (let k = 0; k < 180; k++) {
        m.build(`team-${t}/service/${branch}`, {
          at: new Date(START + k * 2 * DAY + t * 3_600_000).toISOString(),
          sha: sha(`${t}-${branch}-${k}`),
          branch,
          remote,
          queueMs: 4_000,
          durationMs: 300_000,
          result: k % 9 === 0 ? "FAILURE" : "SUCCESS",
        });
        builds++;
      }
    }
    for (let k = 0; k < 120; k++) {
      m.build(`team-${t}/deploy`, {
        at: new Date(START + k * 3 * DAY + 10 * 3_600_000).toISOString(),
        sha: sha(`${t}-main-${k}`),
        remote,
        parameters: { ENV: k % 2 ? "prod" : "staging" },
        durationMs: 240_000,
      });
      builds++;
    }
  }
  return { model: m, builds };
}

const SERVICES = Array.from({ length: 5 }, (_, i) => ({ id: `PSVC00${i}`, name: `Service ${i}` }));

function pagerDutyFixture(n: number): PagerDutyModel {
  const m = new PagerDutyModel();
  for (let k = 0; k < n; k++) {
    const at = START + Math.floor((k * 364 * DAY) / n);
    m.add({
      title: `Incident ${k}`,
      service: SERVICES[k % SERVICES.length] as (typeof SERVICES)[number],
      urgency: "high",
      priority: k % 3 === 0 ? "P1" : "P2",
      createdAt: new Date(at).toISOString(),
      resolvedAt: k % 50 === 0 ? null : new Date(at + 3_600_000).toISOString(),
      notes:
        k % 10 === 0
          ? [{ content: `caused by: ${sha(`c${k}`).slice(0, 10)}`, at: new Date(at).toISOString() }]
          : [],
    });
  }
  return m;
}

function opsgenieFixture(n: number): OpsgenieModel {
  const m = new OpsgenieModel();
  for (let k = 0; k < n; k++) {
    const at = START + Math.floor((k * 364 * DAY) / n);
    m.incidents.push({
      id: `og-${k}`,
      message: `Incident ${k}`,
      status: k % 50 === 0 ? "open" : "resolved",
      priority: "P2",
      impactedServices: [`svc-${k % 5}`],
      createdAt: new Date(at).toISOString(),
      impactEndDate: new Date(at + 3_600_000).toISOString(),
    });
  }
  return m;
}

const JENKINS_YAML = `
jenkins:
  since: 2025-11-01
  deployments: [ { job: "*/deploy", parameter: "ENV=prod", environment: production } ]
`;
const PD_YAML = (notes: boolean) => `
pagerduty:
  since: 2025-11-01
  notes: ${notes}
  services: [${SERVICES.map((s, i) => `{ id: ${s.id}, repository: acme/service-${i} }`).join(", ")}]
`;
const OG_YAML = `
opsgenie:
  since: 2025-11-01
  map: [${[0, 1, 2, 3, 4].map((i) => `{ impactedService: svc-${i}, repository: acme/service-${i} }`).join(", ")}]
`;

interface Row {
  sync: string;
  requests: number;
  items: number;
  ms: number;
  detail: string;
}

async function count(db: Db, table: "ci_builds" | "deployments" | "incidents"): Promise<number> {
  const [r] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table}`));
  return r?.n ?? 0;
}

/** The reference: the same number of rows written through the store alone, in pages of 100 (no HTTP, no derive). */
async function storeOnly(db: Db, kind: "builds" | "incidents", n: number): Promise<number> {
  const t0 = performance.now();
  const ids = await upsertRepositories(db, [{ fullName: "bench/reference", source: "config" }]);
  const repo = ids.get("bench/reference") as number;
  for (let i = 0; i < n; i += 100) {
    const page = Array.from({ length: Math.min(100, n - i) }, (_, k) => i + k);
    if (kind === "builds") {
      await upsertCiBuilds(
        db,
        repo,
        page.map((k) => ({
          source: "jenkins" as const,
          externalId: `ref#${k}`,
          workflow: "ref",
          sha: sha(`r${k}`),
          status: "completed",
          conclusion: "success",
          startedAt: new Date(START + k * 60_000),
          finishedAt: new Date(START + k * 60_000 + 30_000),
        })),
      );
    } else {
      await upsertIncidents(
        db,
        page.map((k) => ({
          source: "api" as const,
          externalId: `ref-${k}`,
          repository: "bench/reference",
          openedAt: new Date(START + k * 60_000),
          resolvedAt: new Date(START + k * 60_000 + 30_000),
        })),
      );
    }
  }
  const ms = performance.now() - t0;
  await db.execute(sql`delete from repositories where full_name = 'bench/reference'`);
  return ms;
}

main(async () => {
  const handle = await openPglite(null);
  await handle.migrate();
  const db = handle.db;
  await db.execute(sql`insert into org_settings (id) values (1) on conflict do nothing`);
  const rows: Row[] = [];
  const by = (c: { byResource: Map<string, number> }) =>
    [...c.byResource.entries()].map(([k, v]) => `${k} ${v}`).join(", ");

  const { model, builds } = jenkinsFixture();
  const jenkins = await startFakeJenkins(model);
  const pd = await startFakePagerDuty(pagerDutyFixture(1_500), { rateLimit: 100_000 });
  const og = await startFakeOpsgenie(opsgenieFixture(1_500), { rateLimit: 100_000 });
  const refs: Record<string, number> = {};
  try {
    // Jenkins
    let t0 = performance.now();
    const jFirst = await syncJenkinsFake(db, jenkins.url, JENKINS_YAML, { now: NOW });
    rows.push({
      sync: "Jenkins first",
      requests: jFirst.requests,
      items: builds,
      ms: performance.now() - t0,
      detail: `${by(jFirst.client)}; ${await count(db, "ci_builds")} CI builds + ${await count(db, "deployments")} deployments`,
    });
    refs.jenkins = await storeOnly(db, "builds", builds);
    jenkins.reset();
    t0 = performance.now();
    const jQuiet = await syncJenkinsFake(db, jenkins.url, JENKINS_YAML, { now: LATER });
    rows.push({
      sync: "Jenkins quiet",
      requests: jQuiet.requests,
      items: 0,
      ms: performance.now() - t0,
      detail: by(jQuiet.client),
    });
    model.build("team-3/service/main", {
      at: "2026-11-20T12:00:00Z",
      sha: sha("new"),
      branch: "main",
      remote: "git@github.com:acme/service-3.git",
    });
    jenkins.reset();
    t0 = performance.now();
    const jOne = await syncJenkinsFake(db, jenkins.url, JENKINS_YAML, { now: LATER });
    rows.push({
      sync: "Jenkins, one new build",
      requests: jOne.requests,
      items: 1,
      ms: performance.now() - t0,
      detail: by(jOne.client),
    });

    // PagerDuty, notes read (the default) and not
    for (const notes of [true, false]) {
      await db.execute(sql`delete from incidents`);
      await db.execute(sql`delete from sync_state where source = 'pagerduty'`);
      pd.reset();
      t0 = performance.now();
      const first = await syncPagerDutyFake(db, pd.url, PD_YAML(notes), { now: NOW });
      rows.push({
        sync: `PagerDuty first (notes: ${notes})`,
        requests: first.requests,
        items: await count(db, "incidents"),
        ms: performance.now() - t0,
        detail: by(first.client),
      });
    }
    refs.pagerduty = await storeOnly(db, "incidents", 1_500);
    pd.reset();
    t0 = performance.now();
    const pQuiet = await syncPagerDutyFake(db, pd.url, PD_YAML(false), { now: LATER });
    rows.push({
      sync: "PagerDuty quiet",
      requests: pQuiet.requests,
      items: 0,
      ms: performance.now() - t0,
      detail: by(pQuiet.client),
    });
    const open = pd.model.incidents.find((i) => !i.resolvedAt);
    if (open) open.resolvedAt = "2026-11-20T13:00:00Z";
    pd.reset();
    t0 = performance.now();
    const pOne = await syncPagerDutyFake(db, pd.url, PD_YAML(true), {
      now: new Date(LATER.getTime() + 3_600_000),
    });
    rows.push({
      sync: "PagerDuty, one incident resolved",
      requests: pOne.requests,
      items: 1,
      ms: performance.now() - t0,
      detail: by(pOne.client),
    });

    // Opsgenie
    og.reset();
    t0 = performance.now();
    const oFirst = await syncOpsgenieFake(db, og.url, OG_YAML, { now: NOW });
    rows.push({
      sync: "Opsgenie first",
      requests: oFirst.requests,
      items: (await count(db, "incidents")) - 1_500,
      ms: performance.now() - t0,
      detail: by(oFirst.client),
    });
    refs.opsgenie = await storeOnly(db, "incidents", 1_500);
    og.reset();
    t0 = performance.now();
    const oQuiet = await syncOpsgenieFake(db, og.url, OG_YAML, { now: LATER });
    rows.push({
      sync: "Opsgenie quiet",
      requests: oQuiet.requests,
      items: 0,
      ms: performance.now() - t0,
      detail: by(oQuiet.client),
    });
  } finally {
    await Promise.all([jenkins.close(), pd.close(), og.close()]);
    await handle.close();
  }

  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}; fakes on loopback; PGlite in memory`,
  );
  console.log(
    `Fixture: Jenkins ${builds} builds in 32 jobs (8 folders, multibranch); PagerDuty 1,500 incidents on 5 services; Opsgenie 1,500 incidents\n`,
  );
  console.log("| sync | requests | items | requests per item | time | detail |\n|---|---|---|---|---|---|");
  for (const r of rows) {
    const per = r.items ? (r.requests / r.items).toFixed(4) : "–";
    console.log(
      `| ${r.sync} | ${r.requests} | ${r.items} | ${per} | ${(r.ms / 1000).toFixed(2)} s | ${r.detail} |`,
    );
  }
  console.log(
    `\nReference (same run): the same rows through the store alone, pages of 100 — ${builds} CI builds ${(refs.jenkins ?? 0).toFixed(0)} ms; 1,500 incidents ${(refs.pagerduty ?? 0).toFixed(0)} ms (PagerDuty run), ${(refs.opsgenie ?? 0).toFixed(0)} ms (Opsgenie run)`,
  );
});
