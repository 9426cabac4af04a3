import { matchesGlob } from "./glob";

/**
 * Bot identities: their commits and PRs are not changes made by the team (dependency bumps, generated code),
 * so lead time leaves them out and the drill-down shows them flagged. apache/devlake#8646 found 28 % of commits
 * were bots in one org; counting them flatters lead time.
 */
const BOT_LOGIN =
  /(\[bot\]$|-bot$|^bot-|^dependabot|^renovate|^github-actions|^snyk-bot|^greenkeeper|^mergify|^pre-commit-ci|^imgbot|^allcontributors)/i;
const BOT_EMAIL = /(\[bot\]@|^bot@|^[^@]*[-_.]bot@)/i;

export interface Identity {
  login?: string | null;
  email?: string | null;
  name?: string | null;
}

/** `extra` are configured patterns (logins or e-mails, `*` wildcards), e.g. an in-house release bot. */
export function isBot(identity: Identity, extra: readonly string[] = []): boolean {
  const login = identity.login?.trim() ?? "";
  const email = identity.email?.trim().toLowerCase() ?? "";
  const name = identity.name?.trim() ?? "";
  if (login && BOT_LOGIN.test(login)) return true;
  if (email && BOT_EMAIL.test(email)) return true;
  if (name && /\[bot\]$/i.test(name)) return true;
  return extra.some((pattern) => matchesGlob(login, pattern) || matchesGlob(email, pattern));
}
