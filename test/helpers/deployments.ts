import type { DeploymentInput, PullRequestInput } from "@/lib/metrics/derive/chains";

let nextId = 1000;

/** A successful deployment for chain tests. */
export function dep(sha: string, finishedAt: string, extra: Partial<DeploymentInput> = {}): DeploymentInput {
  return {
    id: extra.id ?? nextId++,
    serviceId: 1,
    environment: "production",
    sha,
    status: "success",
    finishedAt: new Date(finishedAt),
    declaredKind: null,
    fixesDeploymentId: null,
    line: null,
    ...extra,
  };
}

export function pr(number: number, extra: Partial<PullRequestInput> = {}): PullRequestInput {
  return {
    id: extra.id ?? number + 500,
    number,
    mergeSha: null,
    mergeMethod: null,
    firstCommitAt: null,
    isBot: false,
    isRevert: false,
    revertsNumber: null,
    isHotfix: false,
    ...extra,
  };
}

export const H = 3600;
