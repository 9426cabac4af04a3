import { parseArgs } from "node:util";
import type { ApiTokenRow } from "@/lib/auth/api-tokens";
import { runJob } from "@/lib/jobs/run";
import { main } from "./lib/cli";

/**
 * npm run tokens -- create --name NAME [--team SLUG] | list | revoke ID|PREFIX
 *
 * API tokens for the push API (README § Push API). A new token is printed once; only its hash is stored.
 */
const USAGE = `Usage: npm run tokens -- <command>
  create --name NAME [--team SLUG]   create a token (for one team's repositories, or the whole organisation)
  list                               list tokens: name, prefix, scope, last use (never the token itself)
  revoke ID|PREFIX                   revoke a token (it stays listed as revoked)`;

main(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: "string" },
      team: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, target, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const quiet = () => {};
  if (command === "create") {
    if (!values.name) throw new Error("create needs --name, e.g. --name jenkins-payments");
    const created = (await runJob("tokens:create", { name: values.name, team: values.team }, quiet)) as {
      token: string;
      team: string | null;
    };
    console.log(
      `Created API token "${values.name}" for ${created.team ? `team ${created.team}` : "the whole organisation"}.`,
    );
    console.log("Copy it now: it is shown only this once.\n");
    console.log(`  ${created.token}\n`);
    console.log(`Use it as: Authorization: Bearer ${created.token.slice(0, 9)}…`);
    return;
  }
  if (command === "list") {
    const rows = (await runJob("tokens:list", {}, quiet)) as ApiTokenRow[];
    if (rows.length === 0) console.log("No API tokens yet: npm run tokens -- create --name NAME");
    for (const t of rows) {
      const state = t.revokedAt ? `revoked ${new Date(t.revokedAt).toISOString().slice(0, 10)}` : "active";
      const used = t.lastUsedAt
        ? `last used ${new Date(t.lastUsedAt).toISOString().slice(0, 16).replace("T", " ")}`
        : "never used";
      console.log(
        `${String(t.id).padStart(4)}  ${t.prefix}…  ${t.name}  (${t.teamSlug ? `team ${t.teamSlug}` : "organisation"}; ${state}; ${used})`,
      );
    }
    return;
  }
  if (command === "revoke") {
    if (!target || rest.length)
      throw new Error("revoke needs one token id or prefix, e.g. revoke 3 or revoke tl_AbC123");
    const token = /^\d+$/.test(target) ? Number(target) : target;
    const row = (await runJob("tokens:revoke", { token }, quiet)) as ApiTokenRow;
    console.log(`Revoked API token ${row.id} "${row.name}" (${row.prefix}…).`);
    return;
  }
  throw new Error(`unknown command '${command}'\n${USAGE}`);
});
