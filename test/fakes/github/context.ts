import type { PageArgs } from "./connection";
import type { Git } from "./git";
import type { FakeCommit, FakeData, FakeRepository, FakeTag } from "./model";
import {
  commitView,
  type deploymentView,
  type pullRequestView,
  refView,
  type repoView,
  tagView,
} from "./views";

/** What every resolver shares: the request's context, argument helpers, and refs to git objects. */

export interface Ctx {
  data: FakeData;
  git: Map<FakeRepository, Git>;
  rate: { cost: number; nodeCount: number; limit: number; remaining: number; used: number; resetAt: string };
}

export type Args = Record<string, unknown>;
export type Order = { field: string; direction: "ASC" | "DESC" } | null | undefined;
export type Resolver<S> = (src: S, args: Args, ctx: Ctx) => unknown;
export type Views<S> = Record<string, Resolver<S>>;

export const dirOf = (o: Order, fallback: "ASC" | "DESC" = "ASC"): 1 | -1 =>
  (o?.direction ?? fallback) === "ASC" ? 1 : -1;
export const pageArgs = (a: Args) => a as PageArgs;
export const lower = (xs: unknown) => (Array.isArray(xs) ? xs.map((x) => String(x).toLowerCase()) : null);
export const anyLabel = (labels: string[], wanted: string[] | null) =>
  !wanted || labels.some((l) => wanted.includes(l.toLowerCase()));

export type RepoV = ReturnType<typeof repoView>;
export type CommitV = ReturnType<typeof commitView>;
export type PrV = ReturnType<typeof pullRequestView>;
export type DeploymentV = ReturnType<typeof deploymentView>;
export type RefV = ReturnType<typeof refView>;
export type TagV = ReturnType<typeof tagView>;

/** A parent missing from the data (a shallow history): an object with the child's dates, like a grafted commit. */
export const stub = (oid: string, child: FakeCommit): FakeCommit => ({
  ...child,
  oid,
  parents: [],
  files: [],
});

export function gitObject(repo: FakeRepository, target: FakeCommit | FakeTag | undefined) {
  if (!target) return null;
  if ("oid" in target) return commitView(repo, target);
  return target.annotated ? tagView(repo, { ...target, annotated: target.annotated }) : null;
}

export const branchRef = (repo: FakeRepository, name: string) => {
  const oid = repo.branches[name];
  return oid === undefined ? null : refView(repo, "refs/heads/", name, oid);
};
export const tagRef = (repo: FakeRepository, t: FakeTag) =>
  refView(repo, "refs/tags/", t.name, t.annotated ? t : t.target);
export const peel = (t: FakeTag) => t.target;
