/**
 * The six teams of the demo organisation and how each delivers. The figures are chosen so that the dashboards
 * tell a story a visitor recognises: an elite team shipping every merge within the hour, two high performers (one
 * improving over the year), two medium teams on weekly releases (one with a monorepo, one slowly degrading) and a
 * legacy team on monthly release trains without an incident tool.
 *
 * Durations are medians of log-normal distributions; "working hours" skip nights and weekends (calendar.ts).
 * A `Ramp` is a value that moves linearly from the first to the last day of the history, so trends are visible.
 */

export type Level = "elite" | "high" | "medium" | "low";

/** A constant, or `[at the start, at the end]` of the history. */
export type Ramp = number | readonly [number, number];

export const at = (ramp: Ramp, progress: number): number =>
  typeof ramp === "number" ? ramp : ramp[0] + (ramp[1] - ramp[0]) * Math.min(1, Math.max(0, progress));

/** When production releases happen. */
export type Cadence =
  /** A pipeline run per merge (merges that land while one runs ride the next): continuous delivery. */
  | { kind: "on-merge" }
  /** Release windows on working days, `perDay` on average (below 1: not every day). */
  | { kind: "windows"; perDay: Ramp }
  /**
   * Staging gets every evening's main; production is promoted from staging once a week on `weekday`, except for
   * the share of weeks `skip` (holidays, freezes, nobody available: 6 % unless said).
   */
  | { kind: "weekly"; weekday: number; skip?: Ramp }
  /** Staging nightly; production release trains every `everyWeeks` weeks on a Tuesday. */
  | { kind: "train"; everyWeeks: Ramp; skip?: Ramp };

export type FailureMode = "rollback" | "revert" | "hotfix" | "incident";

export interface RepoProfile {
  name: string;
  /** Multiplies the team's merge rate: some repositories are busier than others. */
  activity: number;
  /** A monorepo split into path-mapped services, each deployed on its own. */
  services?: readonly { name: string; prefix: string }[];
  cadence?: Cadence;
}

export interface TeamProfile {
  slug: string;
  name: string;
  description: string;
  level: Level;
  memberCount: number;
  repos: readonly RepoProfile[];
  /** Production environments in deployment order (several = regions deployed minutes apart). */
  production: readonly string[];
  /** Merged human PRs per working day for a repository of activity 1. */
  mergesPerDay: Ramp;
  /** PR stages, median working hours: first commit → ready, ready → first review, first review → approval. */
  codingHours: Ramp;
  pickupHours: Ramp;
  reviewHours: Ramp;
  /** σ of the PR stage distributions. */
  spread: number;
  commitsPerPr: number;
  draftShare: number;
  abandonShare: number;
  unreviewedShare: number;
  mergeMethods: { squash: number; merge: number; rebase: number };
  cadence: Cadence;
  /** CI before a deployment starts, and staging → production soak (minutes). */
  ciMinutes: number;
  /** Median minutes a CI run waits for a runner, and the share of runs that fail spuriously (passing on re-run). */
  ciQueueMinutes: number;
  flakyShare: number;
  soakMinutes: readonly [number, number];
  /** Probability that a production release that ships new PRs fails. */
  changeFailure: Ramp;
  failureModes: Readonly<Record<FailureMode, number>>;
  /** Of failures remedied by a deployment, the share that also opens an incident; 0 = no incident tool at all. */
  incidentShare: number;
  /** Failure → recovered, median wall-clock hours. */
  recoveryHours: Ramp;
  /** Median minutes from a failure going live to someone noticing (alerting quality). */
  detectMinutes: number;
  /** Median minutes from a revert or hotfix PR being opened to its merge (how fast an emergency is reviewed). */
  remedyMinutes: number;
  bot: { login: "dependabot[bot]" | "renovate[bot]"; perWeek: number; mergeShare: number };
  /** Words for PR titles. */
  topics: readonly string[];
}

export const TEAM_PROFILES: readonly TeamProfile[] = [
  {
    slug: "payments",
    name: "Payments",
    description: "Card and wallet payments, the ledger and fraud scoring. Continuous delivery.",
    level: "elite",
    memberCount: 7,
    repos: [
      { name: "payments-api", activity: 1.2 },
      { name: "payments-gateway", activity: 1 },
      { name: "ledger", activity: 0.8 },
      { name: "fraud-scoring", activity: 0.6 },
    ],
    production: ["production"],
    mergesPerDay: 2.6,
    codingHours: 1.5,
    pickupHours: 0.5,
    reviewHours: 0.6,
    spread: 0.9,
    commitsPerPr: 2,
    draftShare: 0.15,
    abandonShare: 0.06,
    unreviewedShare: 0.02,
    mergeMethods: { squash: 0.85, merge: 0.05, rebase: 0.1 },
    cadence: { kind: "on-merge" },
    ciMinutes: 9,
    ciQueueMinutes: 0.5,
    flakyShare: 0.02,
    soakMinutes: [8, 20],
    changeFailure: [0.06, 0.045],
    failureModes: { rollback: 0.45, revert: 0.3, hotfix: 0.15, incident: 0.1 },
    incidentShare: 0.45,
    recoveryHours: [0.6, 0.35],
    detectMinutes: 5,
    remedyMinutes: 6,
    bot: { login: "renovate[bot]", perWeek: 2.5, mergeShare: 0.85 },
    topics: [
      "refunds",
      "card tokenisation",
      "3DS challenge",
      "payout batching",
      "ledger postings",
      "chargebacks",
      "currency conversion",
      "fraud rules",
      "wallet top-ups",
      "idempotency keys",
    ],
  },
  {
    slug: "checkout",
    name: "Checkout",
    description: "Storefront checkout, cart, pricing and promotions. Deploys to two regions.",
    level: "high",
    memberCount: 8,
    repos: [
      { name: "checkout-web", activity: 1.2 },
      { name: "cart-service", activity: 1 },
      { name: "pricing-engine", activity: 0.7 },
      { name: "promotions", activity: 0.5 },
    ],
    production: ["prod-eu", "prod-us"],
    mergesPerDay: 1.8,
    codingHours: 4,
    pickupHours: 2,
    reviewHours: 2,
    spread: 1,
    commitsPerPr: 2.5,
    draftShare: 0.25,
    abandonShare: 0.08,
    unreviewedShare: 0.04,
    mergeMethods: { squash: 0.7, merge: 0.2, rebase: 0.1 },
    cadence: { kind: "windows", perDay: 1.6 },
    ciMinutes: 14,
    ciQueueMinutes: 9,
    flakyShare: 0.09,
    soakMinutes: [30, 90],
    changeFailure: 0.09,
    failureModes: { rollback: 0.4, revert: 0.25, hotfix: 0.25, incident: 0.1 },
    incidentShare: 0.45,
    recoveryHours: 2.5,
    detectMinutes: 10,
    remedyMinutes: 15,
    bot: { login: "dependabot[bot]", perWeek: 2, mergeShare: 0.7 },
    topics: [
      "address form",
      "basket totals",
      "shipping options",
      "voucher codes",
      "price rounding",
      "tax display",
      "order summary",
      "guest checkout",
      "delivery slots",
      "gift cards",
    ],
  },
  {
    slug: "search",
    name: "Search",
    description: "Product search, indexing and suggestions. Moving from weekly to daily deploys this year.",
    level: "high",
    memberCount: 5,
    repos: [
      { name: "search-api", activity: 1 },
      { name: "indexer", activity: 0.8 },
      { name: "query-suggest", activity: 0.6 },
    ],
    production: ["production"],
    mergesPerDay: [1.1, 1.8],
    codingHours: [9, 4],
    pickupHours: [7, 2],
    reviewHours: [6, 2.5],
    spread: 1,
    commitsPerPr: 3,
    draftShare: 0.3,
    abandonShare: 0.08,
    unreviewedShare: 0.05,
    mergeMethods: { squash: 0.6, merge: 0.3, rebase: 0.1 },
    cadence: { kind: "windows", perDay: [0.3, 1.5] },
    ciMinutes: 18,
    ciQueueMinutes: 2,
    flakyShare: 0.04,
    soakMinutes: [45, 150],
    changeFailure: [0.17, 0.05],
    failureModes: { rollback: 0.3, revert: 0.3, hotfix: 0.3, incident: 0.1 },
    incidentShare: 0.5,
    recoveryHours: [9, 2.5],
    detectMinutes: 15,
    remedyMinutes: 20,
    bot: { login: "dependabot[bot]", perWeek: 1.5, mergeShare: 0.75 },
    topics: [
      "ranking signals",
      "synonyms",
      "typo tolerance",
      "facet counts",
      "index sharding",
      "reindex job",
      "autocomplete",
      "query parser",
      "stemming",
      "boost rules",
    ],
  },
  {
    slug: "identity",
    name: "Identity",
    description: "Sign-in, sessions, profiles and single sign-on. Weekly releases; stretched thin this year.",
    level: "medium",
    memberCount: 6,
    repos: [
      { name: "identity-service", activity: 1 },
      { name: "auth-gateway", activity: 0.8 },
      { name: "user-profile", activity: 0.7 },
      { name: "sso-bridge", activity: 0.4 },
    ],
    production: ["production"],
    mergesPerDay: 1.1,
    codingHours: 12,
    pickupHours: [5, 14],
    reviewHours: 6,
    spread: 1.1,
    commitsPerPr: 3,
    draftShare: 0.2,
    abandonShare: 0.1,
    unreviewedShare: 0.05,
    mergeMethods: { squash: 0.5, merge: 0.45, rebase: 0.05 },
    cadence: { kind: "weekly", weekday: 3, skip: [0.03, 0.35] },
    ciMinutes: 20,
    ciQueueMinutes: 3,
    flakyShare: 0.05,
    soakMinutes: [60, 240],
    changeFailure: [0.06, 0.3],
    failureModes: { rollback: 0.35, revert: 0.2, hotfix: 0.3, incident: 0.15 },
    incidentShare: 0.5,
    recoveryHours: [16, 30],
    detectMinutes: 25,
    remedyMinutes: 30,
    bot: { login: "renovate[bot]", perWeek: 1.5, mergeShare: 0.6 },
    topics: [
      "session refresh",
      "password reset",
      "MFA enrolment",
      "SAML metadata",
      "OIDC discovery",
      "account linking",
      "audit log",
      "rate limiting",
      "profile photos",
      "consent screen",
    ],
  },
  {
    slug: "data-platform",
    name: "Data Platform",
    description:
      "Event ingestion, the warehouse and the data API, in one monorepo. Weekly releases per service.",
    level: "medium",
    memberCount: 8,
    repos: [
      {
        name: "data-platform",
        activity: 2.2,
        services: [
          { name: "ingest", prefix: "services/ingest/" },
          { name: "warehouse", prefix: "services/warehouse/" },
          { name: "api", prefix: "services/api/" },
        ],
      },
      { name: "pipeline-sdk", activity: 0.6 },
    ],
    production: ["production"],
    mergesPerDay: 1,
    codingHours: 10,
    pickupHours: 10,
    reviewHours: 6,
    spread: 1.1,
    commitsPerPr: 3,
    draftShare: 0.25,
    abandonShare: 0.1,
    unreviewedShare: 0.06,
    mergeMethods: { squash: 0.55, merge: 0.35, rebase: 0.1 },
    cadence: { kind: "weekly", weekday: 2 },
    ciMinutes: 25,
    ciQueueMinutes: 6,
    flakyShare: 0.06,
    soakMinutes: [60, 240],
    changeFailure: 0.07,
    failureModes: { rollback: 0.3, revert: 0.25, hotfix: 0.3, incident: 0.15 },
    incidentShare: 0.5,
    recoveryHours: 20,
    detectMinutes: 25,
    remedyMinutes: 30,
    bot: { login: "dependabot[bot]", perWeek: 1.5, mergeShare: 0.6 },
    topics: [
      "Kafka consumer",
      "schema registry",
      "partition pruning",
      "dbt models",
      "backfill job",
      "parquet writer",
      "API pagination",
      "late events",
      "dedup window",
      "retention policy",
    ],
  },
  {
    slug: "billing-legacy",
    name: "Billing (legacy)",
    description: "The invoicing monolith and its reports. Monthly release trains, no incident tool.",
    level: "low",
    memberCount: 4,
    repos: [
      { name: "billing-core", activity: 1 },
      { name: "invoicing", activity: 0.7 },
      { name: "billing-reports", activity: 0.4, cadence: { kind: "train", everyWeeks: 7 } },
    ],
    production: ["production"],
    mergesPerDay: 0.6,
    codingHours: 24,
    pickupHours: 16,
    reviewHours: 14,
    spread: 1.1,
    commitsPerPr: 4,
    draftShare: 0.1,
    abandonShare: 0.12,
    unreviewedShare: 0.1,
    mergeMethods: { squash: 0.25, merge: 0.75, rebase: 0 },
    cadence: { kind: "train", everyWeeks: 4.3 },
    ciMinutes: 35,
    ciQueueMinutes: 15,
    flakyShare: 0.12,
    soakMinutes: [120, 480],
    changeFailure: 0.4,
    failureModes: { rollback: 0.5, revert: 0.3, hotfix: 0.2, incident: 0 },
    incidentShare: 0,
    recoveryHours: 70,
    detectMinutes: 60,
    remedyMinutes: 60,
    bot: { login: "dependabot[bot]", perWeek: 1, mergeShare: 0.3 },
    topics: [
      "invoice PDF",
      "VAT rules",
      "dunning run",
      "proration",
      "credit notes",
      "SEPA export",
      "monthly close",
      "report totals",
      "customer statements",
      "payment terms",
    ],
  },
];

/** Extra production failures (besides the ones above) that the demo adds for realism. */
export const OPERATIONS = {
  /** A successful production deployment is followed by a redeploy of the same SHA a few minutes later. */
  redeployShare: 0.03,
  /** A production deployment attempt fails before going live, and is retried. */
  failedAttemptShare: 0.015,
  /** Unrelated incidents (an upstream outage, an expiring certificate) per repository per year. */
  unrelatedIncidentsPerYear: 1.5,
  /** Hotfix deployments whose deploy tool records which deployment they fix. */
  declaredFixShare: 0.7,
} as const;
