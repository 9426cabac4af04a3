import { GraphQLError, type GraphQLFieldResolver } from "graphql";
import { type Key, sortedPage, typedError } from "./connection";
import { type Ctx, dirOf, type Order, pageArgs, type Views } from "./context";
import { Git } from "./git";
import { type FakeRepository, findRepository, ms } from "./model";
import { Commit, Deployment, Issue, PullRequest, Ref, Release, Tag } from "./resolvers-objects";
import { Repository } from "./resolvers-repository";
import {
  actorView,
  commitView,
  decodeNodeId,
  deploymentView,
  issueView,
  pullRequestView,
  releaseView,
  repoView,
} from "./views";

export type { Ctx } from "./context";

/**
 * Field resolvers by parent type and field: the fields with arguments or links. Every other field is a property
 * of the view object (views.ts). Semantics follow GitHub: connection orders and filters, NOT_FOUND errors.
 */

const Query: Views<unknown> = {
  repository: (_, a, ctx) => {
    const repo = findRepository(ctx.data, String(a.owner), String(a.name));
    if (!repo)
      throw typedError(
        "NOT_FOUND",
        `Could not resolve to a Repository with the name '${a.owner}/${a.name}'.`,
      );
    return repoView(repo);
  },
  organization: (_, a, ctx) => {
    const login = Object.keys(ctx.data.organizations).find(
      (o) => o.toLowerCase() === String(a.login).toLowerCase(),
    );
    if (!login)
      throw typedError("NOT_FOUND", `Could not resolve to an Organization with the login of '${a.login}'.`);
    return {
      __typename: "Organization",
      $login: login,
      login,
      name: login,
      id: `O_kgDO${login}`,
      url: `https://github.com/${login}`,
    };
  },
  nodes: (_, a, ctx) => (a.ids as string[]).map((id) => node(ctx, id)),
  node: (_, a, ctx) => {
    const n = node(ctx, String(a.id));
    if (n instanceof GraphQLError) throw n;
    return n;
  },
  rateLimit: (_, __, ctx) => ({ __typename: "RateLimit", ...ctx.rate }),
  viewer: () => ({ __typename: "User", ...actorView({ login: "fake-user" }), name: "Fake User" }),
};

/** Repositories, pull requests, issues, deployments, releases and commits can be fetched by id. */
function node(ctx: Ctx, id: string) {
  const d = decodeNodeId(id);
  const [owner = "", name = ""] = d?.repo.split("/") ?? [];
  const repo = d && findRepository(ctx.data, owner, name);
  const found = d && repo ? lookup(ctx, repo, d.prefix, d.key) : null;
  return found ?? typedError("NOT_FOUND", `Could not resolve to a node with the global id of '${id}'`);
}

function lookup(ctx: Ctx, repo: FakeRepository, prefix: string, key: string) {
  const n = Number(key);
  const view = <T, V>(x: T | undefined, f: (r: FakeRepository, x: T) => V) =>
    x === undefined ? null : f(repo, x);
  if (prefix === "R") return repoView(repo);
  if (prefix === "PR")
    return view(
      repo.pullRequests.find((x) => x.number === n),
      pullRequestView,
    );
  if (prefix === "I")
    return view(
      repo.issues.find((x) => x.number === n),
      issueView,
    );
  if (prefix === "DE")
    return view(
      repo.deployments.find((x) => x.databaseId === n),
      deploymentView,
    );
  if (prefix === "RE")
    return view(
      repo.releases.find((x) => x.databaseId === n),
      releaseView,
    );
  if (prefix === "C") return view(Git.of(ctx.git, repo).commit(key), commitView);
  return null;
}

const Organization: Views<{ $login: string }> = {
  repositories: (org, a, ctx) => {
    const names = new Set((ctx.data.organizations[org.$login] ?? []).map((n) => n.toLowerCase()));
    const repos = ctx.data.repositories.filter(
      (r) =>
        r.owner.toLowerCase() === org.$login.toLowerCase() &&
        names.has(r.name.toLowerCase()) &&
        (a.isArchived == null || r.archived === a.isArchived),
    );
    const order = a.orderBy as Order;
    const key = (r: FakeRepository): Key =>
      order?.field === "NAME" ? [r.name.toLowerCase()] : [ms(r.createdAt), r.databaseId];
    return sortedPage("repositories", repos, key, dirOf(order), pageArgs(a), repoView);
  },
};

const RESOLVERS = {
  Query,
  Organization,
  Repository,
  Commit,
  PullRequest,
  Deployment,
  Release,
  Ref,
  Tag,
  Issue,
} as Record<string, Views<never>>;

/** Dispatch on parent type and field; everything else is a property of the view (graphql-js's default). */
export const fieldResolver: GraphQLFieldResolver<unknown, Ctx> = (source, args, ctx, info) => {
  const resolve = RESOLVERS[info.parentType.name]?.[info.fieldName];
  if (resolve) return resolve(source as never, args, ctx);
  return (source as Record<string, unknown> | null)?.[info.fieldName];
};

export const typeResolver = (value: unknown) => (value as { __typename?: string }).__typename;
