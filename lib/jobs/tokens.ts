import { z } from "zod";
import { audit, CLI_ACTOR } from "@/lib/audit";
import { ApiTokenError, createApiToken, listApiTokens, revokeApiToken } from "@/lib/auth/api-tokens";
import { defineJob } from "./types";

/** API tokens from the command line (npm run tokens): the same operations as Settings → API tokens. */

const CLI_AUTHOR = "command line";

export const createToken = defineJob({
  name: "tokens:create",
  description: "Create an API token for the push API",
  args: z.object({ name: z.string().min(1), team: z.string().optional() }),
  async run(db, args) {
    try {
      const { token, row } = await createApiToken(db, args, CLI_AUTHOR);
      await audit(db, CLI_ACTOR, "token.create", row.name, { prefix: row.prefix, team: row.teamSlug });
      return { token, id: row.id, name: row.name, prefix: row.prefix, team: row.teamSlug };
    } catch (error) {
      if (error instanceof ApiTokenError) throw new Error(`${error.field}: ${error.message}`);
      throw error;
    }
  },
});

export const listTokens = defineJob({
  name: "tokens:list",
  description: "List API tokens (never the tokens themselves)",
  args: z.object({}),
  run: async (db) => listApiTokens(db),
});

export const revokeToken = defineJob({
  name: "tokens:revoke",
  description: "Revoke an API token by id or prefix",
  args: z.object({ token: z.union([z.number().int().positive(), z.string().min(3)]) }),
  async run(db, args) {
    try {
      const row = await revokeApiToken(db, args.token);
      await audit(db, CLI_ACTOR, "token.revoke", row.name, { prefix: row.prefix });
      return row;
    } catch (error) {
      if (error instanceof ApiTokenError) throw new Error(error.message);
      throw error;
    }
  },
});
