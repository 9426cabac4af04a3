import { schema as published } from "@octokit/graphql-schema";
import {
  buildClientSchema,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

/**
 * GitHub's published schema (the introspection JSON: `buildSchema` on the SDL fails on GitHub's descriptions), and
 * the parts of GitHub's query handling that happen around execution: the cost estimate and the error wording.
 */

let cached: GraphQLSchema | undefined;
/** Built once per process: ~100 ms. */
export function githubSchema(): GraphQLSchema {
  cached ??= buildClientSchema(published.json as unknown as IntrospectionQuery);
  return cached;
}

export function operationOf(doc: DocumentNode, name?: string | null): OperationDefinitionNode | undefined {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name ? ops.find((o) => o.name?.value === name) : ops.length === 1 ? ops[0] : undefined;
}

type Variables = Record<string, unknown>;

function argValue(v: ValueNode | undefined, vars: Variables): unknown {
  if (!v) return undefined;
  if (v.kind === Kind.VARIABLE) return vars[v.name.value];
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.BOOLEAN) return v.value;
  return undefined;
}

/**
 * GitHub's documented estimate ("Calculating a rate limit score"): every connection costs as many requests as
 * its parent connections can return nodes (the product of their `first`/`last`); the sum / 100, rounded, at
 * least 1. nodeCount is the sum of those products times the connection's own size (limit: 500,000).
 */
export function estimateCost(doc: DocumentNode, op: OperationDefinitionNode, vars: Variables) {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let requests = 0;
  let nodeCount = 0;
  const walk = (set: SelectionSetNode | undefined, multiplier: number) => {
    for (const s of set?.selections ?? []) {
      const skipped = s.directives?.some((d) => {
        const cond = argValue(d.arguments?.find((a) => a.name.value === "if")?.value, vars);
        return (d.name.value === "include" && cond === false) || (d.name.value === "skip" && cond === true);
      });
      if (skipped) continue;
      if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, multiplier);
      else if (s.kind === Kind.FRAGMENT_SPREAD) walk(fragments.get(s.name.value)?.selectionSet, multiplier);
      else {
        const size = s.arguments
          ?.filter((a) => a.name.value === "first" || a.name.value === "last")
          .map((a) => argValue(a.value, vars))
          .find((n): n is number => typeof n === "number");
        if (size === undefined) walk(s.selectionSet, multiplier);
        else {
          requests += multiplier;
          nodeCount += multiplier * size;
          walk(s.selectionSet, multiplier * size);
        }
      }
    }
  };
  walk(op.selectionSet, 1);
  return { cost: Math.max(1, Math.round(requests / 100)), nodeCount };
}

/** A GraphQL error as GitHub serialises it: `type` at the top level, `extensions` only for validation codes. */
export interface GitHubGraphQLError {
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  message: string;
  extensions?: Record<string, unknown>;
}

export function formatError(e: GraphQLError): GitHubGraphQLError {
  const { type, ...extensions } = e.extensions as { type?: string };
  return {
    ...(typeof type === "string" ? { type } : {}),
    ...(e.path ? { path: e.path } : {}),
    ...(e.locations ? { locations: e.locations } : {}),
    message: e.message,
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}

/**
 * GitHub validates with graphql-ruby, whose messages differ from graphql-js's. The common ones are reworded so
 * that code (and tests) matching GitHub's text see GitHub's text; the rest keep graphql-js's wording.
 */
export function formatValidationError(e: GraphQLError): GitHubGraphQLError {
  const base = { locations: e.locations ?? [] };
  let m = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(e.message);
  if (m)
    return {
      ...base,
      message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
      extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
    };
  m = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"/.exec(e.message);
  if (m)
    return {
      ...base,
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      extensions: { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] },
    };
  m = /^Field "(\w+)" argument "(\w+)" of type "[^"]+" is required/.exec(e.message);
  if (m)
    return {
      ...base,
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] },
    };
  return { ...base, message: e.message };
}
