import { type DocumentNode, execute, GraphQLError, parse, validate } from "graphql";
import type { Budget } from "./budget";
import type { FakeData } from "./model";
import { type Ctx, fieldResolver, typeResolver } from "./resolvers";
import {
  estimateCost,
  formatError,
  formatValidationError,
  type GitHubGraphQLError,
  githubSchema,
  operationOf,
} from "./schema";

/**
 * `POST /graphql` as GitHub answers it: HTTP 200 with `errors` for anything wrong with the query (syntax,
 * validation, limits, missing objects), partial `data` when only some fields failed.
 */

export interface GraphQLRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphQLReply {
  status: number;
  body: { data?: unknown; errors?: GitHubGraphQLError[]; message?: string; documentation_url?: string };
}

export const RATE_LIMITED_MESSAGE = "API rate limit already exceeded for user ID 1."; // GitHub's wording

/** Parses once for both the request log (operation name) and execution; undefined when it does not parse. */
export function parseQuery(body: GraphQLRequest): DocumentNode | undefined {
  if (typeof body.query !== "string") return undefined;
  try {
    return parse(body.query);
  } catch {
    return undefined;
  }
}

export async function handleGraphQL(
  body: GraphQLRequest,
  data: FakeData,
  budget: Budget,
): Promise<GraphQLReply> {
  if (typeof body.query !== "string")
    return {
      status: 200,
      body: { errors: [{ message: "A query attribute must be specified and must be a string." }] },
    };
  let doc: DocumentNode;
  try {
    doc = parse(body.query);
  } catch (e) {
    const err = e instanceof GraphQLError ? e : new GraphQLError(String(e));
    return { status: 200, body: { errors: [{ message: err.message, locations: err.locations ?? [] }] } };
  }
  const invalid = validate(githubSchema(), doc);
  if (invalid.length > 0) return { status: 200, body: { errors: invalid.map(formatValidationError) } };

  const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
  const op = operationOf(doc, operationName);
  const variables = (body.variables ?? {}) as Record<string, unknown>;
  if (!op) return { status: 200, body: { errors: [{ message: "An operation name is required" }] } };
  const { cost, nodeCount } = estimateCost(doc, op, variables);
  if (nodeCount > 500_000)
    return {
      status: 200,
      body: {
        errors: [
          {
            type: "MAX_NODE_LIMIT_EXCEEDED",
            message: `This query requests up to ${nodeCount.toLocaleString("en-US")} possible nodes which exceeds the maximum limit of 500,000.`,
          },
        ],
      },
    };
  // A query the remaining budget cannot pay for is refused whole, as GitHub does once the hour's points are spent.
  if (budget.remaining < cost)
    return { status: 200, body: { errors: [{ type: "RATE_LIMITED", message: RATE_LIMITED_MESSAGE }] } };
  budget.charge(cost);

  const ctx: Ctx = {
    data,
    git: new Map(),
    rate: {
      cost,
      nodeCount,
      limit: budget.limit,
      remaining: budget.remaining,
      used: budget.used,
      resetAt: new Date(budget.reset * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
  };
  const result = await execute({
    schema: githubSchema(),
    document: doc,
    variableValues: variables,
    operationName,
    contextValue: ctx,
    fieldResolver,
    typeResolver,
  });
  const errors = result.errors?.map(formatError);
  // Errors before execution (variables that do not coerce) come without `data`.
  if (result.data === undefined) return { status: 200, body: { errors } };
  return { status: 200, body: errors ? { data: result.data, errors } : { data: result.data } };
}
