import { parseArgs } from "node:util";
import { runJob } from "@/lib/jobs/run";
import type { Erasure, ErasureListEntry } from "@/lib/privacy/erase";
import { main } from "./lib/cli";

/**
 * npm run privacy -- erase --email ADDRESS | --login LOGIN | list
 *
 * Forgetting a person (README § Privacy, docs/adr/0023-privacy-erasure.md). Prints pseudonyms and counts only:
 * an erased value never appears in the output, the database or the audit log.
 */
const USAGE = `Usage: npm run privacy -- <command>
  erase --email ADDRESS     replace this person's name, e-mail and login everywhere with a pseudonym, now and in
  erase --login LOGIN       every later sync (the metrics do not change; it cannot be undone)
  list                      list erasures: pseudonym, when, how many values (never the values)`;

main(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      login: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const quiet = () => {};
  if (command === "erase") {
    if (rest.length) throw new Error(`erase takes --email or --login, not '${rest.join(" ")}'\n${USAGE}`);
    if ((values.email === undefined) === (values.login === undefined))
      throw new Error("erase needs exactly one of --email ADDRESS or --login LOGIN");
    const done = (await runJob(
      "privacy:erase",
      { email: values.email, login: values.login },
      quiet,
    )) as Erasure;
    if (done.alreadyErased) {
      console.log(`Already erased as ${done.erasure}: nothing left to change.`);
      return;
    }
    const changed = Object.entries(done.rows).filter(([, n]) => n > 0);
    console.log(`Erased as ${done.erasure}.`);
    console.log(
      `  ${done.values.emails} e-mail address(es), ${done.values.logins} login(s), ${done.values.names} name(s) replaced`,
    );
    console.log(`  rows changed: ${changed.map(([t, n]) => `${t} ${n}`).join(", ")}`);
    console.log(
      "Later syncs write the pseudonym. Remove the person from throughline.config.yaml if it names them.",
    );
    return;
  }
  if (command === "list") {
    const rows = (await runJob("privacy:list", {}, quiet)) as ErasureListEntry[];
    if (rows.length === 0) console.log("Nobody has been erased.");
    for (const r of rows)
      console.log(
        `${r.erasure}  ${new Date(r.erasedAt).toISOString().slice(0, 16).replace("T", " ")}  ${r.values} value(s)`,
      );
    return;
  }
  throw new Error(`unknown command '${command}'\n${USAGE}`);
});
