import { z } from "zod";

/** Parameters of the CALMS API routes. */

const RoundId = z.coerce.number().int().positive().max(2_147_483_647);
const Slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

export function parseRoundId(raw: string): number | null {
  const parsed = RoundId.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** `teams=a,b`: null when absent. */
export function parseTeamList(raw: string | null): string[] | { error: string } | null {
  if (raw === null) return null;
  const slugs = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (slugs.length === 0) return { error: "name at least one team slug, e.g. teams=payments,search" };
  const bad = slugs.find((s) => !Slug.safeParse(s).success);
  return bad ? { error: `'${bad}' is not a team slug` } : slugs;
}

export function badRequest(parameter: string, message: string): Response {
  return Response.json(
    { error: "invalid_parameters", message: `${parameter}: ${message}`, issues: [{ parameter, message }] },
    { status: 400 },
  );
}

export function notFound(): Response {
  return Response.json(
    { error: "not_found", message: "No such round or team in that round" },
    { status: 404 },
  );
}
