import { z } from "zod";

/** Field types shared by the sections of throughline.config.yaml (lib/config/schema.ts, lib/config/connectors.ts). */

export const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "lower-case letters, digits and single hyphens, e.g. payments-core");
/** `owner/name`; GitLab projects keep their groups (`group/subgroup/project`). */
export const repoName = z.string().regex(/^[^/\s*]+(\/[^/\s*]+)+$/, "owner/name, e.g. acme/payments-api");
export const repoPattern = z
  .string()
  .regex(/^[^/\s]+(\/[^/\s]+)+$/, "owner/name, or a pattern such as acme/*");
export const serviceName = z
  .string()
  .regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, "lower-case letters, digits and . _ - separators");
export const date = z.iso.date({ error: "a date written YYYY-MM-DD" });
export const syncInterval = (minutes: number) => z.number().int().min(0).max(10_080).default(minutes);
