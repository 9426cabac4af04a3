import { z } from "zod";
import { audit, CLI_ACTOR, listAudit } from "@/lib/audit";
import { readAuthConfig } from "@/lib/auth/config";
import { resetAdminPassword } from "@/lib/auth/password";
import { defineJob } from "./types";

/** Sign-in chores from the command line (npm run auth). */

export const resetPassword = defineJob({
  name: "auth:reset-password",
  description: "Set a new random admin password (password sign-in) and print it once",
  args: z.object({}),
  async run(db) {
    const password = await resetAdminPassword(db);
    await audit(db, CLI_ACTOR, "password.reset");
    return { password, mode: readAuthConfig().mode };
  },
});

export const auditTail = defineJob({
  name: "auth:audit",
  description: "The latest entries of the audit log",
  args: z.object({ limit: z.number().int().min(1).max(500).default(50) }),
  run: async (db, args) => listAudit(db, { limit: args.limit }),
});
