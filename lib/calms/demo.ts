import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db";
import {
  calmsAnswers,
  calmsComments,
  calmsRespondentLinks,
  calmsResponses,
  calmsRounds,
  teams,
} from "@/lib/db/schema";
import { Rng } from "@/lib/demo/random";
import { addDays } from "@/lib/metrics/period";
import { BANK, BLOCKS, type Block, type Dimension } from "./bank";
import { DEFAULT_ITEM_KEYS } from "./inputs";
import { createRound, roundItems, roundTeams } from "./rounds";
import { signalWindow, teamSignals } from "./signals";
import { hashLinkToken, newLinkToken } from "./tokens";

/**
 * Two past CALMS rounds for the demo organisation, so that the CALMS pages have something to show on `npm start`.
 * Answers are drawn deterministically (the demo's seeded PRNG) around a level per team and dimension that matches
 * how the team delivers in the demo (lib/demo/profiles.ts), with a few deliberate gaps between what a team says and
 * what the data shows. Some teams stay below the threshold, and one is hidden by complementary suppression.
 * Called at the end of seedDemo; removeDemo deletes the rounds (answers cascade).
 */

type Levels = Record<Dimension | "westrum", number>;

interface TeamPlan {
  answers: [number, number];
  levels: [Levels, Levels];
  /**
   * Per-item levels (0–10) that override what the team's data says: the deliberate gaps between say and do. Other
   * items with a measured signal are answered around the measured share (teams mostly see themselves as they are).
   */
  gaps?: Record<string, number>;
}

const L = (c: number, a: number, l: number, m: number, s: number, w: number): Levels => ({
  culture: c,
  automation: a,
  lean: l,
  measurement: m,
  sharing: s,
  westrum: w,
});

const PLAN: Record<string, TeamPlan> = {
  payments: { answers: [6, 6], levels: [L(7.4, 8.8, 7.8, 7, 6.4, 8), L(7.8, 9.1, 8, 7.6, 7, 8.2)] },
  // Blameless incident reviews arrived between the rounds: a culture change larger than the noise.
  checkout: { answers: [7, 7], levels: [L(4.6, 7.9, 6.4, 6, 6, 7), L(7.9, 8.1, 6.8, 6.3, 6, 7.2)] },
  search: { answers: [5, 4], levels: [L(6, 6.4, 6, 5, 5.4, 6.4), L(6.6, 7.6, 7, 6, 6, 6.8)] },
  // The pipeline makes nearly every production deployment, but the team does not see it that way.
  identity: {
    answers: [5, 6],
    levels: [L(5.6, 6, 4.6, 4.6, 5, 6), L(5.5, 6.2, 5, 4.6, 5, 6)],
    gaps: { A2: 4 },
  },
  // The team believes every merge is built; half of its commits have no CI run.
  "data-platform": {
    answers: [5, 8],
    levels: [L(5.2, 6.6, 4.2, 5, 5.6, 5.4), L(4.6, 6, 3.6, 4.4, 5, 5)],
    gaps: { A1: 9 },
  },
  "billing-legacy": { answers: [2, 3], levels: [L(4, 3, 3, 2.5, 4, 4.6), L(4.2, 3.2, 3, 2.6, 4, 4.6)] },
};

/** A statement that hardly moves with the rest of its dimension: the reliability check flags it. */
const LOOSE_ITEM = "S1";

const COMMENTS = [
  "Releases feel calmer than last quarter.",
  "We still wait too long for reviews from the platform team.",
  "More time for tooling would help.",
  "Incident reviews have become genuinely useful.",
];

export async function seedDemoCalms(db: Db, options: { anchor: string; seed: string }) {
  const demoTeams = await db
    .select({ id: teams.id, slug: teams.slug })
    .from(teams)
    .where(and(eq(teams.source, "demo"), inArray(teams.slug, Object.keys(PLAN))));
  const ids = demoTeams.map((t) => t.id);
  if (ids.length === 0) return { rounds: 0, responses: 0 };
  const rng = new Rng(`${options.seed}/calms`);
  const rounds = [
    { title: "Spring CALMS check", closes: -175, keys: DEFAULT_ITEM_KEYS },
    {
      title: "Autumn CALMS check",
      closes: -12,
      keys: [...DEFAULT_ITEM_KEYS, ...BANK.filter((i) => i.block === "westrum").map((i) => i.key)],
    },
  ];
  let responses = 0;
  for (const [index, r] of rounds.entries()) {
    const closesOn = addDays(options.anchor, r.closes);
    const { roundId } = await createRound(
      db,
      { title: r.title, opensOn: addDays(closesOn, -14), closesOn, teamIds: ids, itemKeys: r.keys },
      "demo",
    );
    const items = await roundItems(db, roundId);
    for (const team of await roundTeams(db, roundId)) {
      const plan = PLAN[team.slug] as TeamPlan;
      const levels = plan.levels[index] as Levels;
      const measured = new Map<string, number>();
      for (const s of await teamSignals(db, team.slug, signalWindow(closesOn, closesOn), "UTC")) {
        if (s.comparable && s.itemKey && s.value !== null) measured.set(s.itemKey, s.value * 10);
      }
      const stream = rng.fork(`${index}/${team.slug}`);
      const rows: (typeof calmsAnswers.$inferInsert)[] = [];
      const people = plan.answers[index] as number;
      for (let p = 0; p < people; p++) {
        const submissionId = uuidFrom(stream);
        await db.insert(calmsResponses).values({ submissionId, roundTeamId: team.roundTeamId });
        // Demo rounds use single-use links (ADR 0014): one used link per answer, as a real respondent leaves.
        await db
          .insert(calmsRespondentLinks)
          .values({ roundTeamId: team.roundTeamId, tokenHash: hashLinkToken(newLinkToken()), used: true });
        // How a person sees the team overall, and each dimension: what makes a dimension's items agree.
        const general = stream.normal() * 0.6;
        const byBlock = new Map(BLOCKS.map((b) => [b, stream.normal() * 0.9]));
        for (const item of items) {
          const dontKnow = stream.chance(
            item.block === "measurement" || item.key === LOOSE_ITEM ? 0.1 : 0.04,
          );
          const level = plan.gaps?.[item.key] ?? measured.get(item.key) ?? levels[item.block];
          const latent =
            item.key === LOOSE_ITEM
              ? level + stream.normal() * 2.4
              : level + general + (byBlock.get(item.block) ?? 0) + stream.normal() * 1.1;
          rows.push({
            submissionId,
            itemKey: item.key,
            value: dontKnow ? null : toScale(item.block, latent),
          });
        }
        responses++;
      }
      if (rows.length) await db.insert(calmsAnswers).values(rows);
      const comments = COMMENTS.filter(() => stream.chance(0.5));
      if (comments.length) {
        await db
          .insert(calmsComments)
          .values(comments.map((body) => ({ roundTeamId: team.roundTeamId, body })));
      }
    }
  }
  return { rounds: rounds.length, responses };
}

/** A latent 0–10 level as the nearest answer on the block's scale. */
function toScale(block: Block, latent: number): number {
  const x = Math.min(10, Math.max(0, latent));
  if (block === "westrum") return Math.round((x * 6) / 10) + 1;
  return Math.round(x / 2.5);
}

/** A v4-shaped UUID from the seeded stream, so the demo is reproducible to the byte. */
function uuidFrom(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16));
  hex[12] = "4";
  hex[16] = ((rng.int(0, 15) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Deletes the demo rounds; their teams, links, answers and comments go with them (foreign keys cascade). */
export async function removeDemoCalms(db: Db): Promise<void> {
  await db.delete(calmsRounds).where(eq(calmsRounds.source, "demo"));
}
