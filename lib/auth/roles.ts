import type { AuthConfig } from "./config";

/** Viewers read dashboards and reports; admins also configure, sync, manage tokens, rounds and the question bank. */
export type Role = "viewer" | "admin";

export const ROLE_RANK: Record<Role, number> = { viewer: 1, admin: 2 };

export function hasRole(have: Role | null | undefined, need: Role): boolean {
  return have ? ROLE_RANK[have] >= ROLE_RANK[need] : false;
}

/** What a provider told us about the person signing in. */
export interface Identity {
  provider: "oidc" | "github";
  /** `oidc:<sub>` or `github:<numeric id>`. */
  subject: string;
  name: string;
  email: string | null;
  emailVerified: boolean;
  /** GitHub login. */
  login: string | null;
  /** OIDC group claim values. */
  groups: string[];
  /** GitHub organisations the person belongs to (lower case). */
  orgs: string[];
}

export type RoleDecision = { role: Role } | { refused: string };

/**
 * Who may come in, and as what. Admins: listed in THROUGHLINE_ADMINS (a verified e-mail, or `github:<login>`), or
 * in one of OIDC_ADMIN_GROUPS. Viewers: anyone else the identity provider signs in (OIDC: the provider decides
 * who is assigned the app), narrowed by OIDC_ALLOWED_DOMAINS; on GitHub, where anyone has an account, only members
 * of GITHUB_OAUTH_ORGS. Pure, so that every rule is tested without a provider.
 */
export function decideRole(
  config: Pick<AuthConfig, "admins" | "allowedDomains" | "oidc" | "github">,
  id: Identity,
): RoleDecision {
  // Only a verified address that looks like one: a provider's e-mail claim of `github:<login>` must not match a
  // GitHub admin entry of THROUGHLINE_ADMINS.
  const email =
    id.emailVerified && id.email && /^[^@\s:]+@[^@\s]+$/.test(id.email) ? id.email.toLowerCase() : null;
  const keys = new Set<string>();
  if (email) keys.add(email);
  if (id.provider === "github" && id.login) keys.add(`github:${id.login.toLowerCase()}`);
  const listed = config.admins.some((a) => keys.has(a));
  const groups = new Set(id.groups.map((g) => g.toLowerCase()));
  const inAdminGroup = id.provider === "oidc" && (config.oidc?.adminGroups ?? []).some((g) => groups.has(g));
  if (listed || inAdminGroup) return { role: "admin" };

  if (id.provider === "github") {
    const orgs = config.github?.orgs ?? [];
    if (!orgs.length)
      return {
        refused:
          "This GitHub account is not an admin, and no organisation's members may sign in (GITHUB_OAUTH_ORGS).",
      };
    if (!id.orgs.some((o) => orgs.includes(o)))
      return { refused: `Only members of ${orgs.join(", ")} on GitHub may sign in.` };
  }
  if (id.provider === "oidc" && config.allowedDomains.length) {
    const domain = email?.split("@")[1];
    if (!domain || !config.allowedDomains.includes(domain))
      return {
        refused: `Only verified e-mail addresses at ${config.allowedDomains.join(", ")} may sign in.`,
      };
  }
  return { role: "viewer" };
}
