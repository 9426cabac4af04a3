/**
 * Failure and rework signals read from a PR itself. GitHub's "Revert" button titles the PR `Revert "<title>"`,
 * names the branch `revert-<number>-<branch>` and writes "Reverts owner/repo#<number>" in the body.
 */
export interface RevertSignal {
  isRevert: boolean;
  revertsNumber: number | null;
}

export function revertSignal(pr: {
  title: string;
  headBranch?: string | null;
  body?: string | null;
}): RevertSignal {
  const branch = /^revert-(\d+)-/.exec(pr.headBranch ?? "");
  if (branch) return { isRevert: true, revertsNumber: Number(branch[1]) };
  const body = /\bReverts\s+[\w.-]+\/[\w.-]+#(\d+)/i.exec(pr.body ?? "");
  if (body) return { isRevert: true, revertsNumber: Number(body[1]) };
  if (/^revert\b/i.test(pr.title.trim())) {
    const ref = /#(\d+)/.exec(pr.title);
    return { isRevert: true, revertsNumber: ref ? Number(ref[1]) : null };
  }
  return { isRevert: false, revertsNumber: null };
}

const HOTFIX_LABEL = /^(hot-?fix|hotfix|incident(-fix)?|sev[0-9]?-?fix|urgent-fix)$/i;

export function isHotfix(pr: { labels: readonly string[]; headBranch?: string | null }): boolean {
  return pr.labels.some((l) => HOTFIX_LABEL.test(l.trim())) || /^hot-?fix[/-]/i.test(pr.headBranch ?? "");
}
