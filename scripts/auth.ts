import { parseArgs } from "node:util";
import type { AuditEntry } from "@/lib/audit";
import { readAuthConfig } from "@/lib/auth/config";
import { runJob } from "@/lib/jobs/run";
import { main } from "./lib/cli";

/**
 * npm run auth -- status | reset-password | audit [--limit N]
 *
 * How this server lets people in (README § Access control), a new admin password for password sign-in, and the
 * audit log. Works while the server holds the embedded database (the job runs in the server).
 */
const USAGE = `Usage: npm run auth -- <command>
  status           how people sign in with the current environment
  reset-password   set a new random admin password (password sign-in) and print it once
  audit [--limit N] the latest admin actions (default 50)`;

main(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { limit: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  if (rest.length) throw new Error(`unexpected: ${rest.join(" ")}\n${USAGE}`);
  const quiet = () => {};
  if (command === "status") {
    const c = readAuthConfig();
    const how = {
      local: "local: no sign-in; the server answers only on this machine (HOST is a loopback address)",
      password:
        "password: one admin with the password printed at first start (npm run auth -- reset-password)",
      sso: `single sign-on: ${[c.oidc ? `OpenID Connect (${c.oidc.issuer})` : null, c.github ? "GitHub" : null].filter(Boolean).join(" and ")}`,
    }[c.mode];
    console.log(`Sign-in: ${how}`);
    if (c.mode === "sso") {
      console.log(`Admins: ${c.admins.length ? c.admins.join(", ") : "(THROUGHLINE_ADMINS is empty)"}`);
      if (c.oidc?.adminGroups.length)
        console.log(`Admin groups (${c.oidc.groupsClaim}): ${c.oidc.adminGroups.join(", ")}`);
      if (c.github)
        console.log(
          `GitHub organisations whose members may sign in: ${c.github.orgs.join(", ") || "(none)"}`,
        );
    }
    console.log(`Sessions last ${c.sessionHours} hours.`);
    return;
  }
  if (command === "reset-password") {
    const out = (await runJob("auth:reset-password", {}, quiet)) as { password: string; mode: string };
    console.log(`New admin password (shown only this once): ${out.password}`);
    if (out.mode !== "password")
      console.log(
        `Note: this server signs people in with ${out.mode}, so the password is not used until THROUGHLINE_AUTH=password.`,
      );
    return;
  }
  if (command === "audit") {
    const limit = values.limit ? Number(values.limit) : 50;
    const rows = (await runJob("auth:audit", { limit }, quiet)) as AuditEntry[];
    for (const r of rows.reverse())
      console.log(
        `${new Date(r.at).toISOString()}  ${r.actor.padEnd(28)}  ${r.action.padEnd(20)}  ${r.target ?? ""}`,
      );
    if (!rows.length) console.log("The audit log is empty.");
    return;
  }
  throw new Error(`unknown command '${command}'\n${USAGE}`);
});
