import { z } from "zod";
import { CLI_ACTOR } from "@/lib/audit";
import { erasePerson, listErasures, PrivacyError } from "@/lib/privacy/erase";
import { defineJob } from "./types";

/** "Forget a person" from the command line (npm run privacy): the same operation as Settings → Data. */

export const eraseJob = defineJob({
  name: "privacy:erase",
  description: "Erase a person (by e-mail address or login): pseudonyms everywhere, kept across syncs",
  args: z.object({ email: z.string().optional(), login: z.string().optional() }),
  async run(db, args) {
    const input = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
    try {
      return await erasePerson(db, input, CLI_ACTOR);
    } catch (error) {
      if (error instanceof PrivacyError) throw new Error(error.message);
      throw error;
    }
  },
});

export const listErasuresJob = defineJob({
  name: "privacy:list",
  description: "List erasures (pseudonyms only)",
  args: z.object({}),
  run: (db) => listErasures(db),
});
