"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/current";
import {
  deleteService,
  ServiceError,
  ServiceInput,
  saveService,
  setRepositoryTeam,
  setServiceTeam,
} from "@/lib/catalog/ownership";
import { getDb } from "@/lib/db";
import { removeDemo, seedDemo } from "@/lib/demo/seed";
import { deriveRepositories } from "@/lib/metrics/derive";
import { setEnvironmentTier } from "@/lib/settings/environments";
import { OrgSettingsInput, updateOrgSettings } from "@/lib/settings/org";
import { createTeam, deleteTeam, setTeamRepositories, TeamError, TeamInput, updateTeam } from "@/lib/teams";
import { formProblem } from "@/lib/validation/input";
import type { FormState } from "./form-state";

/**
 * Settings mutations: parse the form with the same zod schemas lib/ uses, call lib/, re-derive what the change
 * affects, refresh the pages. Expected failures come back as field errors; nothing is half-written.
 */

const lines = (v: FormDataEntryValue | null) =>
  String(v ?? "")
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
const optionalId = (v: FormDataEntryValue | null) => (v && String(v) !== "" ? Number(v) : null);

function fieldErrors(error: z.ZodError): FormState {
  return {
    errors: z.flattenError(error).fieldErrors as Record<string, string[]>,
    message: "Please correct the fields marked below.",
  };
}

export async function saveOrgSettingsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const parsed = OrgSettingsInput.safeParse({
    name: form.get("name"),
    timeZone: form.get("timeZone"),
    weekStart: form.get("weekStart"),
    incidentLinkWindowHours: form.get("incidentLinkWindowHours"),
    rollbackWindowHours: form.get("rollbackWindowHours"),
    revertWindowHours: form.get("revertWindowHours"),
  });
  if (!parsed.success) return fieldErrors(parsed.error);
  const db = await getDb();
  await updateOrgSettings(db, parsed.data);
  await audit(db, actor, "settings.update", "organisation", parsed.data);
  await deriveRepositories(db);
  revalidatePath("/", "layout");
  return { ok: true, message: "Saved." };
}

function teamInput(form: FormData) {
  return TeamInput.safeParse({
    slug: form.get("slug"),
    name: form.get("name"),
    description: form.get("description") ?? "",
    members: lines(form.get("members")),
  });
}

export async function createTeamAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const parsed = teamInput(form);
  if (!parsed.success) return fieldErrors(parsed.error);
  try {
    const db = await getDb();
    await createTeam(db, parsed.data);
    await audit(db, actor, "team.create", parsed.data.slug, { name: parsed.data.name });
  } catch (error) {
    if (error instanceof TeamError) return { errors: { [error.field]: [error.message] } };
    throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/settings/teams/${parsed.data.slug}`);
}

export async function updateTeamAction(teamId: number, _prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const parsed = teamInput(form);
  if (!parsed.success) return fieldErrors(parsed.error);
  const repositoryIds = form.getAll("repositories").map(Number).filter(Number.isSafeInteger);
  const db = await getDb();
  try {
    await updateTeam(db, teamId, parsed.data);
    await setTeamRepositories(db, teamId, repositoryIds);
    await audit(db, actor, "team.update", parsed.data.slug, {
      name: parsed.data.name,
      members: parsed.data.members.length,
      repositories: repositoryIds,
    });
  } catch (error) {
    if (error instanceof TeamError) return { errors: { [error.field]: [error.message] } };
    throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/settings/teams/${parsed.data.slug}?saved=1`);
}

export async function deleteTeamAction(teamId: number): Promise<void> {
  const { actor } = await requireAdmin();
  const db = await getDb();
  await deleteTeam(db, teamId);
  await audit(db, actor, "team.delete", String(teamId));
  revalidatePath("/", "layout");
  redirect("/settings/teams");
}

export async function setEnvironmentTierAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  if (formProblem(form)) return;
  const db = await getDb();
  const change = { name: String(form.get("name")), tier: String(form.get("tier")) };
  await setEnvironmentTier(db, change as never);
  await audit(db, actor, "environment.tier", change.name, { tier: change.tier });
  await deriveRepositories(db);
  revalidatePath("/", "layout");
}

export async function setOwnerAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  if (formProblem(form)) return;
  const db = await getDb();
  const teamId = optionalId(form.get("teamId"));
  const serviceId = optionalId(form.get("serviceId"));
  const repositoryId = Number(form.get("repositoryId"));
  if (serviceId !== null) await setServiceTeam(db, serviceId, teamId);
  else await setRepositoryTeam(db, repositoryId, teamId);
  await audit(
    db,
    actor,
    "ownership.set",
    serviceId !== null ? `service ${serviceId}` : `repository ${repositoryId}`,
    {
      teamId,
    },
  );
  revalidatePath("/", "layout");
}

export async function saveServiceAction(
  serviceId: number | null,
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const parsed = ServiceInput.safeParse({
    repositoryId: form.get("repositoryId"),
    name: form.get("name"),
    pathPrefixes: lines(form.get("pathPrefixes")),
    teamId: optionalId(form.get("teamId")),
  });
  if (!parsed.success) return fieldErrors(parsed.error);
  const db = await getDb();
  try {
    await saveService(db, parsed.data, serviceId ?? undefined);
    await audit(db, actor, serviceId ? "service.update" : "service.create", parsed.data.name, parsed.data);
  } catch (error) {
    if (error instanceof ServiceError) return { errors: { [error.field]: [error.message] } };
    throw error;
  }
  await deriveRepositories(db);
  revalidatePath("/", "layout");
  return {
    ok: true,
    message: serviceId ? "Service saved; its deployments were re-derived." : "Service added.",
  };
}

export async function deleteServiceAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  if (formProblem(form)) return;
  const db = await getDb();
  await deleteService(db, Number(form.get("serviceId")));
  await audit(db, actor, "service.delete", String(form.get("serviceId")));
  await deriveRepositories(db);
  revalidatePath("/", "layout");
}

export async function removeDemoAction(): Promise<void> {
  const { actor } = await requireAdmin();
  const db = await getDb();
  await removeDemo(db);
  await audit(db, actor, "demo.remove");
  revalidatePath("/", "layout");
  redirect("/settings/data?removed=1");
}

export async function loadDemoAction(): Promise<FormState> {
  const { actor } = await requireAdmin();
  try {
    const db = await getDb();
    await seedDemo(db, {});
    await audit(db, actor, "demo.load");
  } catch (error) {
    return { message: error instanceof Error ? error.message : String(error) };
  }
  revalidatePath("/", "layout");
  redirect("/");
}
