import type { DeploymentRule, EnvironmentRule, ThroughlineConfig } from "@/lib/config/schema";
import { matchesAny, matchesGlob } from "@/lib/domain/glob";
import { lineOf } from "@/lib/domain/lines";
import type { EnvironmentTier } from "@/lib/domain/vocabulary";
import type { GhRun, Placement } from "./map";

/** What the config's deployment settings say about a repository's deployments. */

export interface EnvironmentPlacement extends Placement {
  tier: EnvironmentTier | null;
}

/**
 * Where a deployment to `environment` of `repository` lands: the first environment rule that matches renames it,
 * gives its tier and (monorepos) its service, or drops it (`ignore`). No rule: the name as it is.
 */
export function placeEnvironment(
  config: Pick<ThroughlineConfig, "deployments">,
  repository: string,
  environment: string,
  service: string | null = null,
): EnvironmentPlacement | null {
  const rule = config.deployments.environments.find(
    (r: EnvironmentRule) => matchesGlob(environment, r.match) && matchesAny(repository, r.repositories),
  );
  if (!rule) return { environment, service, tier: null };
  if (rule.ignore) return null;
  return { environment: rule.name ?? environment, service: rule.service ?? service, tier: rule.tier ?? null };
}

export function rulesFor(
  config: Pick<ThroughlineConfig, "deployments">,
  repository: string,
): DeploymentRule[] {
  return config.deployments.rules.filter((r) => matchesAny(repository, r.repositories));
}

/** A run deploys when a workflow rule matches its workflow name and branch (default: the default branch). */
export function ruleForRun(
  rules: DeploymentRule[],
  run: GhRun,
  defaultBranch: string,
): DeploymentRule | null {
  return (
    rules.find(
      (r) =>
        r.workflow !== undefined &&
        r.job === undefined &&
        matchesGlob(run.workflow, r.workflow) &&
        matchesGlob(run.branch ?? "", r.branch ?? defaultBranch),
    ) ?? null
  );
}

export function jobRules(rules: DeploymentRule[]): DeploymentRule[] {
  // A rule with a pipeline source is GitLab's (GitHub runs have no pipeline source).
  return rules.filter((r) => r.job !== undefined && r.source === undefined);
}

export function ruleForTag(
  rules: DeploymentRule[],
  kind: "tag" | "release",
  name: string,
): DeploymentRule | null {
  return (
    rules.find(
      (r) =>
        (r[kind] !== undefined && matchesGlob(name, r[kind] as string)) ||
        (kind === "tag" && r.tagRegex !== undefined && new RegExp(r.tagRegex).test(name)),
    ) ?? null
  );
}

/** The release line the config names for a deployment of `repository` from `ref`; null: inferred by derive. */
export function releaseLine(
  config: Pick<ThroughlineConfig, "deployments">,
  repository: string,
  ref: string | null | undefined,
): string | null {
  const rules = config.deployments.lines.filter((r) => matchesAny(repository, r.repositories));
  return rules.length ? lineOf(rules, ref) : null;
}
