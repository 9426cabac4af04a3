import type { StageKey } from "./stages";

/**
 * The focus areas of "What to improve next" (docs/improve.md): which stages each covers, the DORA capability it
 * maps to (public description at dora.dev), and the CALMS statements (lib/calms/bank.ts) that speak to it.
 */

export type AreaKey = "batch" | "review" | "ci" | "deploy" | "failures" | "recovery";
export type AreaMetric = "leadTime" | "failureRate" | "recovery";

export interface AreaDefinition {
  key: AreaKey;
  title: string;
  metric: AreaMetric;
  /** Lead-time areas: the stages halved in "what if". */
  stages: readonly StageKey[];
  capability: { name: string; url: string };
  /** Statements whose answers should be low when this area is a measured problem. */
  calmsItems: readonly string[];
  /** What to try, one line, about the system, never a person. */
  suggestion: string;
}

/** In tie-break order (docs/improve.md § Ranking). */
export const AREAS: readonly AreaDefinition[] = [
  {
    key: "deploy",
    title: "Waiting for deployment",
    metric: "leadTime",
    stages: ["waitDeploy", "deploy"],
    capability: {
      name: "Deployment automation",
      url: "https://dora.dev/capabilities/deployment-automation/",
    },
    calmsItems: ["A2"],
    suggestion: "Deploy every merge that passes CI, automatically, instead of in release windows or trains.",
  },
  {
    key: "review",
    title: "Waiting for and in review",
    metric: "leadTime",
    stages: ["pickup", "review"],
    capability: {
      name: "Streamlining change approval",
      url: "https://dora.dev/capabilities/streamlining-change-approval/",
    },
    calmsItems: ["L4", "L1"],
    suggestion: "Agree a time to first review and keep pull requests small enough to review in one sitting.",
  },
  {
    key: "ci",
    title: "Waiting for and running CI",
    metric: "leadTime",
    stages: ["waitCi", "ci"],
    capability: {
      name: "Continuous integration",
      url: "https://dora.dev/capabilities/continuous-integration/",
    },
    calmsItems: ["A1", "A4"],
    suggestion:
      "Add runner capacity where runs queue, split or parallelise the slowest workflows, fix flaky tests.",
  },
  {
    key: "batch",
    title: "Long-lived branches",
    metric: "leadTime",
    stages: ["coding"],
    capability: {
      name: "Working in small batches",
      url: "https://dora.dev/capabilities/working-in-small-batches/",
    },
    calmsItems: ["L3", "L5", "L1"],
    suggestion: "Slice work so that branches merge within a day; hide unfinished work behind flags.",
  },
  {
    key: "failures",
    title: "Deployments that fail",
    metric: "failureRate",
    stages: [],
    capability: { name: "Test automation", url: "https://dora.dev/capabilities/test-automation/" },
    calmsItems: ["A4", "A6"],
    suggestion:
      "Let a failing automated check stop a release, and test configuration and schema changes too.",
  },
  {
    key: "recovery",
    title: "Time to restore",
    metric: "recovery",
    stages: [],
    capability: {
      name: "Monitoring and observability",
      url: "https://dora.dev/capabilities/monitoring-and-observability/",
    },
    calmsItems: ["M5", "A5", "M2"],
    suggestion: "Alert on symptoms users feel and make undoing a release one automated step.",
  },
];
