import type { EnvironmentTier } from "./vocabulary";

/**
 * First guess at an environment's tier from its name, used when a new environment is seen; a person or the
 * config file can change it (environments.tierConfirmed). Order matters: "pre-prod" is staging, not production.
 */
export function inferTier(name: string): EnvironmentTier {
  const n = name.toLowerCase();
  if (/(^|[^a-z])(pre-?prod|preprod|stag(e|ing)?|uat|canary-staging)([^a-z]|$)/.test(n)) return "staging";
  if (/(^|[^a-z])(prod|production|prd|live)([^a-z]|$)/.test(n)) return "production";
  if (/(^|[^a-z])(test(ing)?|qa|ci|sandbox)([^a-z]|$)/.test(n)) return "testing";
  if (/(^|[^a-z])(dev(elopment)?|local|preview|review)([^a-z]|$)/.test(n)) return "development";
  return "other";
}
