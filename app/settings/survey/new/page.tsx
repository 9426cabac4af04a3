import type { Metadata } from "next";
import Link from "next/link";
import { publicOrigin, requireRole } from "@/lib/auth/current";
import { BANK, BLOCK_LABELS, customKey, DIMENSIONS } from "@/lib/calms/bank";
import { listCustomItems, orgToday } from "@/lib/calms/rounds";
import { getDb } from "@/lib/db";
import { addDays } from "@/lib/metrics/period";
import { listTeams } from "@/lib/teams";
import { LocalLinksWarning } from "../_forms/local-links";
import { RoundForm } from "../_forms/round-form";

export const metadata: Metadata = { title: "New CALMS round" };

export default async function NewRoundPage() {
  await requireRole("admin");
  const db = await getDb();
  const [teams, custom, today, origin] = await Promise.all([
    listTeams(db),
    listCustomItems(db),
    orgToday(db),
    publicOrigin(),
  ]);
  return (
    <section className="card card-pad" aria-labelledby="new-round">
      <div className="crumbs">
        <Link href="/settings/survey">Survey</Link> / New round
      </div>
      <h2 id="new-round" style={{ marginBottom: 14 }}>
        New round
      </h2>
      <LocalLinksWarning origin={origin} />
      <RoundForm
        teams={teams.map((t) => ({ id: t.id, name: t.name, members: t.members }))}
        dimensions={DIMENSIONS.map((d) => ({
          block: d,
          label: BLOCK_LABELS[d],
          items: [
            ...BANK.filter((i) => i.block === d).map((i) => ({
              key: i.key,
              text: i.text,
              defaultOn: i.defaultOn,
            })),
            ...custom
              .filter((c) => c.block === d)
              .map((c) => ({ key: customKey(c.id), text: c.text, defaultOn: false })),
          ],
        }))}
        westrum={BANK.filter((i) => i.block === "westrum").map((i) => ({ key: i.key, text: i.text }))}
        defaults={{ opensOn: today, closesOn: addDays(today, 13) }}
      />
    </section>
  );
}
