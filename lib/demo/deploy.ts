import type { CiBuildRecord, DeploymentRecord, IncidentRecord } from "@/lib/ingest/records";
import { MINUTE } from "./calendar";
import type { DemoPr, Landing, RepoGraph } from "./graph";
import { OPERATIONS } from "./profiles";
import type { Rng } from "./random";
import { incidentTitle, severity } from "./words";

/**
 * Deployments of one demo repository: per deploy unit (the repository, or each service of a monorepo) a staging
 * environment and one or more production environments, each deploying main-line SHAs in order — so that derive,
 * walking the commit graph from the previous deployment of the same chain, finds exactly the changes we meant.
 * A rollback deploys an earlier SHA of the same chain, which derive recognises as going back.
 */

export interface DeploymentRef {
  repository: string;
  source: "demo";
  externalId: string;
}

export interface DemoDeployment extends DeploymentRecord {
  repository: string;
  environment: string;
  sha: string;
  status: "success" | "failure";
  createdAt: Date;
  startedAt: Date;
  finishedAt: Date;
  source: "demo";
  externalId: string;
}

export interface DemoBuild extends CiBuildRecord {
  source: "demo";
  externalId: string;
  sha: string;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface DemoIncident extends IncidentRecord {
  source: "demo";
  externalId: string;
  openedAt: Date;
  resolvedAt: Date | null;
}

/** One successful deployment: what went live where and when. */
export interface Shipped {
  index: number;
  ref: DeploymentRef;
  at: number;
}

export interface Env {
  name: string;
  /** Main-line index of the SHA live now (−1: never deployed). */
  live: number;
  /** Deployments of an environment never overlap: the next starts after this. */
  freeAt: number;
  history: Shipped[];
}

export interface Unit {
  /** The service name (for a plain repository, its default service). */
  name: string;
  /** DeploymentRecord.service: null → the repository's default service. */
  service: string | null;
  prefix: string | null;
  /** Main-line indexes of the landings that touch this unit, ascending. */
  touches: number[];
  staging: Env;
  production: Env[];
  /** Highest main-line index ever live in production (a rollback goes below it). */
  shippedMax: number;
  /** A failure is being handled: no regular production release before this. */
  blockedUntil: number;
  /** … nor one that lacks this landing (the fix). */
  needIndex: number;
  pipelineQueued: boolean;
}

export interface Release {
  deploys: Shipped[];
  finishedAt: number;
  /** PRs live in production for the first time: the candidates for having broken it. */
  newPrs: DemoPr[];
}

export interface Incident {
  externalId: string;
  unit: Unit;
  title: string;
  severity: string;
  openedAt: number;
  resolvedAt: number | null;
  causedBy: DeploymentRef | null;
  causedBySha: string | null;
  restoredBy: DeploymentRef | null;
}

const env = (name: string): Env => ({ name, live: -1, freeAt: 0, history: [] });

export class Delivery {
  readonly deployments: DemoDeployment[] = [];
  readonly builds: DemoBuild[] = [];
  readonly incidents: Incident[] = [];
  private deployCount = 0;

  constructor(
    private readonly rng: Rng,
    private readonly graph: RepoGraph,
    private readonly end: number,
  ) {}

  unit(name: string, service: string | null, prefix: string | null, production: readonly string[]): Unit {
    return {
      name,
      service,
      prefix,
      touches: [],
      staging: env("staging"),
      production: production.map(env),
      shippedMax: -1,
      blockedUntil: 0,
      needIndex: -1,
      pipelineQueued: false,
    };
  }

  /** The last landing at or before `to` that touches the unit (−1: none). */
  lastTouch(unit: Unit, to: number): number {
    const t = unit.touches;
    let lo = 0;
    let hi = t.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((t[mid] as number) <= to) {
        found = t[mid] as number;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  hasNew(unit: Unit, from: number, to: number): boolean {
    return this.lastTouch(unit, to) > from;
  }

  /** Deploys main-line landing `index` to `e`, starting at `startAt` or when the environment is free. */
  deploy(
    unit: Unit,
    e: Env,
    index: number,
    startAt: number,
    options: {
      trigger?: "ci" | "manual";
      failed?: boolean;
      hotfix?: boolean;
      fixes?: DeploymentRef | null;
    } = {},
  ): Shipped | null {
    const start = Math.max(startAt, e.freeAt);
    const finished = start + Math.round(this.rng.lognormal(e.name === "staging" ? 3.5 : 5, 0.35) * MINUTE);
    if (finished > this.end) return null;
    const landing = this.graph.landings[index] as Landing;
    const externalId = `deploy-${++this.deployCount}`;
    const trigger = options.trigger ?? "ci";
    const status = options.failed ? "failure" : "success";
    this.deployments.push({
      repository: this.graph.fullName,
      service: unit.service,
      environment: e.name,
      sha: landing.sha,
      ref: "main",
      status,
      createdAt: new Date(start),
      startedAt: new Date(start),
      finishedAt: new Date(finished),
      source: "demo",
      externalId,
      trigger,
      declaredKind: options.hotfix ? "hotfix" : null,
      fixes: options.fixes ?? null,
    });
    this.builds.push({
      source: "demo",
      externalId: `run-${externalId}`,
      workflow: "deploy",
      branch: "main",
      sha: landing.sha,
      event: trigger === "manual" ? "workflow_dispatch" : "push",
      status: "completed",
      conclusion: status,
      startedAt: new Date(start),
      finishedAt: new Date(finished),
    });
    e.freeAt = finished + MINUTE;
    const ref: DeploymentRef = { repository: this.graph.fullName, source: "demo", externalId };
    if (options.failed) return null;
    e.live = index;
    const shipped = { index, ref, at: finished };
    e.history.push(shipped);
    return shipped;
  }

  /** Deploys main's tip to staging if it holds something new for the unit; returns when it finished. */
  stage(unit: Unit, at: number, force = false): number | null {
    const tip = this.graph.tip.index;
    if (!force && !this.hasNew(unit, unit.staging.live, tip)) return null;
    return this.deploy(unit, unit.staging, tip, at)?.at ?? null;
  }

  /**
   * Production release of landing `index`, region after region; null when it holds nothing new. A remedy (a
   * revert or hotfix going out) skips the extras of a routine release: a failed first attempt, a redeploy.
   */
  release(
    unit: Unit,
    index: number,
    at: number,
    options: {
      remedy?: boolean;
      hotfix?: boolean;
      fixes?: readonly Shipped[];
      trigger?: "ci" | "manual";
    } = {},
  ): Release | null {
    const first = unit.production[0] as Env;
    if (!this.hasNew(unit, first.live, index)) return null;
    let start = at;
    if (!options.remedy && this.rng.chance(OPERATIONS.failedAttemptShare)) {
      this.deploy(unit, first, index, start, { failed: true });
      start = first.freeAt + Math.round(this.rng.float(8, 20) * MINUTE);
    }
    const deploys: Shipped[] = [];
    for (const e of unit.production) {
      // "This fixes deployment X", as a deploy tool would record it: X is the failed one of the same region.
      const fixes = options.fixes?.find((s) => e.history.includes(s))?.ref ?? null;
      const shipped = this.deploy(unit, e, index, start, {
        hotfix: options.hotfix,
        fixes,
        trigger: options.trigger,
      });
      if (!shipped) break;
      deploys.push(shipped);
      start = shipped.at + Math.round(this.rng.float(4, 15) * MINUTE);
    }
    const last = deploys[deploys.length - 1];
    if (!last) return null;
    if (!options.remedy && this.rng.chance(OPERATIONS.redeployShare)) {
      this.deploy(unit, first, index, last.at + Math.round(this.rng.float(3, 10) * MINUTE), {
        trigger: "manual",
      });
    }
    const newPrs: DemoPr[] = [];
    for (const i of unit.touches) {
      if (i <= unit.shippedMax || i > index) continue;
      const pr = this.graph.landings[i]?.pr;
      if (pr && (pr.kind === "feature" || pr.kind === "fix")) newPrs.push(pr);
    }
    unit.shippedMax = Math.max(unit.shippedMax, index);
    return { deploys, finishedAt: last.at, newPrs };
  }

  /** Every production environment goes back to the SHA it ran before `failed`. */
  rollback(unit: Unit, at: number, failed: number): Shipped[] {
    const out: Shipped[] = [];
    let start = at;
    for (const e of unit.production) {
      const previous = [...e.history].reverse().find((s) => s.index < failed);
      if (!previous || e.live < failed) continue;
      const shipped = this.deploy(unit, e, previous.index, start, { trigger: "manual" });
      if (!shipped) break;
      out.push(shipped);
      start = shipped.at + Math.round(this.rng.float(2, 6) * MINUTE);
    }
    return out;
  }

  openIncident(unit: Unit, openedAt: number, unrelated: boolean): Incident {
    const incident: Incident = {
      externalId: `${this.graph.fullName}#INC-${this.incidents.length + 1}`,
      unit,
      title: incidentTitle(this.rng, unit.name, unrelated),
      severity: severity(this.rng),
      openedAt,
      resolvedAt: null,
      causedBy: null,
      causedBySha: null,
      restoredBy: null,
    };
    this.incidents.push(incident);
    return incident;
  }

  incidentRecords(): DemoIncident[] {
    return this.incidents
      .filter((i) => i.openedAt <= this.end)
      .map((i) => ({
        source: "demo",
        externalId: i.externalId,
        title: i.title,
        url: `https://status.acme.example/incidents/${encodeURIComponent(i.externalId)}`,
        repository: this.graph.fullName,
        service: i.unit.name,
        severity: i.severity,
        openedAt: new Date(i.openedAt),
        resolvedAt: i.resolvedAt !== null && i.resolvedAt <= this.end ? new Date(i.resolvedAt) : null,
        causedBy: i.causedBy,
        causedBySha: i.causedBySha,
        restoredBy: i.restoredBy,
      }));
  }
}
