import type { Rng } from "./random";

/** Fictional people and the words of PR titles, commit messages and incidents for the demo organisation. */

const FIRST = [
  "ana",
  "ben",
  "chiara",
  "dmitri",
  "elif",
  "farah",
  "goran",
  "hana",
  "ines",
  "jonas",
  "kwame",
  "lena",
  "mateo",
  "nadia",
  "oskar",
  "priya",
  "quentin",
  "rosa",
  "samir",
  "tomas",
  "uma",
  "viktor",
  "wen",
  "ximena",
  "yusuf",
  "zofia",
  "aiko",
  "bruno",
  "carmen",
  "david",
  "emeka",
  "freya",
  "gustavo",
  "helga",
  "ivan",
  "julia",
  "kenji",
  "leila",
  "marek",
  "noor",
];
const LAST = [
  "kowalski",
  "lindqvist",
  "moreau",
  "nakamura",
  "okafor",
  "petrov",
  "quispe",
  "rahman",
  "schmidt",
  "tanaka",
  "urbanek",
  "varga",
  "weber",
  "xu",
  "yilmaz",
  "zeller",
  "almeida",
  "brandt",
  "costa",
  "dubois",
  "eriksen",
  "fischer",
  "garcia",
  "horvat",
  "ivanova",
  "jensen",
  "kaur",
  "larsen",
  "mendes",
  "novak",
  "oliveira",
  "park",
  "rossi",
  "silva",
  "torres",
  "van-dijk",
  "wojcik",
  "haddad",
  "mensah",
  "fontaine",
];

export interface Person {
  handle: string;
  name: string;
  email: string;
}

const title = (word: string) =>
  word
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("-");

export function person(handle: string): Person {
  const [first = handle, last = ""] = handle.split(".");
  return { handle, name: `${title(first)} ${title(last)}`.trim(), email: `${handle}@acme.example` };
}

/** `count` handles like `ana.kowalski`, none of them in `taken` (which is updated). */
export function people(rng: Rng, count: number, taken: Set<string>): string[] {
  const out: string[] = [];
  for (let tries = 0; out.length < count && tries < 10_000; tries++) {
    let handle = `${rng.pick(FIRST)}.${rng.pick(LAST)}`;
    // Past 1,600 people (scale ≥ 3) the pools repeat: number the namesakes, as a company directory would.
    if (tries > 50) handle = `${handle}${rng.int(2, 99)}`;
    if (taken.has(handle)) continue;
    taken.add(handle);
    out.push(handle);
  }
  return out;
}

const VERBS = [
  "Add",
  "Fix",
  "Refactor",
  "Speed up",
  "Handle",
  "Remove",
  "Improve",
  "Validate",
  "Log",
  "Cache",
];
const DETAILS = [
  "for large accounts",
  "on retries",
  "in the admin view",
  "behind a feature flag",
  "for EU customers",
  "when the upstream times out",
  "",
  "",
  "",
  "with better errors",
  "in batch mode",
  "for the mobile app",
];

export function prTitle(rng: Rng, topics: readonly string[]): string {
  const detail = rng.pick(DETAILS);
  return `${rng.pick(VERBS)} ${rng.pick(topics)}${detail ? ` ${detail}` : ""}`;
}

export const slugify = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

const COMMIT_MESSAGES = [
  "wip",
  "add tests",
  "address review comments",
  "fix lint",
  "rename for clarity",
  "handle the empty case",
  "update snapshots",
  "extract helper",
  "tidy up",
  "add logging",
  "bump timeout",
  "fix typo",
  "split the query",
];

export const commitMessage = (rng: Rng, prTitleText: string, first: boolean) =>
  first ? prTitleText : rng.pick(COMMIT_MESSAGES);

const PACKAGES = [
  "axios",
  "zod",
  "pg",
  "express",
  "lodash",
  "typescript",
  "eslint",
  "vitest",
  "react",
  "pino",
  "undici",
  "date-fns",
  "aws-sdk",
  "opentelemetry-api",
  "prettier",
  "jsonwebtoken",
  "ioredis",
  "kafkajs",
];

export function botChange(rng: Rng, login: string): { title: string; branch: string } {
  const pkg = rng.pick(PACKAGES);
  const major = rng.int(1, 9);
  const minor = rng.int(0, 30);
  const from = `${major}.${minor}.${rng.int(0, 9)}`;
  const to = `${major}.${minor + rng.int(0, 2)}.${rng.int(0, 12)}`;
  if (login.startsWith("renovate")) {
    return { title: `chore(deps): update dependency ${pkg} to v${to}`, branch: `renovate/${pkg}-${major}.x` };
  }
  return { title: `Bump ${pkg} from ${from} to ${to}`, branch: `dependabot/npm_and_yarn/${pkg}-${to}` };
}

const SYMPTOMS = [
  "Elevated 5xx rate on",
  "p99 latency above SLO on",
  "Error spike in",
  "Timeouts calling",
  "Degraded",
  "Failed jobs in",
];
const OUTAGES = [
  "Upstream provider degradation affecting",
  "TLS certificate renewal failed for",
  "DNS resolution errors in",
  "Cloud region network blip affecting",
  "Database failover slowed",
];

export const incidentTitle = (rng: Rng, service: string, unrelated: boolean) =>
  `${rng.pick(unrelated ? OUTAGES : SYMPTOMS)} ${service}`;

export const severity = (rng: Rng) => (rng.chance(0.05) ? "sev1" : rng.chance(0.4) ? "sev2" : "sev3");
