import { formatLocalDate } from "@/lib/format";
import { BLOCK_LABELS, type Block, DIMENSIONS, DONT_KNOW, SCALE_POINTS } from "./bank";
import type { BlockScore, ItemDistribution } from "./scoring";
import type { BlockTrend } from "./trend";

/**
 * Pure mappers from CALMS results to what each chart draws (like lib/charts/mappers.ts for the DORA charts): the
 * charts stay presentational, and what could be wrong about a chart is decided and tested here.
 */

/** "6.4" on 0–10; "–" when there is no score. */
export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined || Number.isNaN(score) ? "–" : score.toFixed(1);
}

/** Colour slots of the diverging scale, from the most negative answer to the most positive. */
const SLOTS: Record<number, number[]> = { 5: [1, 3, 4, 5, 7], 7: [1, 2, 3, 4, 5, 6, 7] };

export interface LikertSegment {
  label: string;
  count: number;
  /** Share of the answers other than "Don't know" (0–1). */
  share: number;
  /** CSS colour variable. */
  color: string;
}

export interface LikertRow {
  key: string;
  text: string;
  block: Block;
  answered: number;
  dontKnow: number;
  mean: number | null;
  segments: LikertSegment[];
  /**
   * Where the bar starts, in percent of the track: the track spans −100% … +100% of answers around its centre, so a
   * bar whose negative side (answers below the middle, plus half the middle answer) is 30% starts at 50 − 15 = 35.
   */
  start: number;
  /** Negative and positive shares, for the labels at each end. */
  negative: number;
  positive: number;
}

/** Diverging stacked bars (Robbins & Heiberger): negative answers left of the centre line, positive right. */
export function toLikertRows(items: readonly ItemDistribution[]): LikertRow[] {
  return items.map((item) => {
    const points = SCALE_POINTS[item.scale];
    const slots = SLOTS[points.length] ?? points.map((_, i) => i + 1);
    const total = item.answered;
    const segments = points.map((p, i) => ({
      label: p.label,
      count: item.counts[i] ?? 0,
      share: total ? (item.counts[i] ?? 0) / total : 0,
      color: `var(--lk-${slots[i]})`,
    }));
    const middle = (points.length - 1) / 2;
    let negative = 0;
    let positive = 0;
    segments.forEach((s, i) => {
      if (i < middle) negative += s.share;
      else if (i > middle) positive += s.share;
      else {
        negative += s.share / 2;
        positive += s.share / 2;
      }
    });
    return {
      key: item.key,
      text: item.text,
      block: item.block,
      answered: item.answered,
      dontKnow: item.dontKnow,
      mean: item.mean,
      segments,
      start: 50 - negative * 50,
      negative,
      positive,
    };
  });
}

/**
 * The "Show data" table of the distributions: a column per answer when every statement has the same scale; when
 * frequency and agreement statements are mixed (the generative-culture block), the answers of each statement in
 * one cell, lowest to highest, so that no count lands under another scale's heading.
 */
export function likertTable(rows: readonly LikertRow[]): { columns: string[]; rows: (string | number)[][] } {
  const labels = rows[0]?.segments.map((s) => s.label) ?? [];
  const mixed = rows.some((r) => r.segments.length !== labels.length);
  return {
    columns: ["Statement", ...(mixed ? ["Answers, lowest to highest"] : labels), DONT_KNOW, "Mean (0–10)"],
    rows: rows.map((r) => [
      `${r.key}: ${r.text}`,
      ...(mixed
        ? [r.segments.map((s) => `${s.label} ${s.count}`).join(", ")]
        : r.segments.map((s) => s.count)),
      r.dontKnow,
      formatScore(r.mean),
    ]),
  };
}

export interface RadarPoint {
  dimension: string;
  team: number | null;
  org: number | null;
}

/**
 * The five dimensions, team against organisation (the generative-culture block is a score of its own). A dimension
 * without a team score (withheld, or nobody answered enough) is left off the radar rather than drawn at 0.
 */
export function toRadarPoints(team: readonly BlockScore[], org: readonly BlockScore[] | null): RadarPoint[] {
  return DIMENSIONS.filter((d) => team.some((b) => b.block === d && b.mean !== null)).map((d) => ({
    dimension: BLOCK_LABELS[d],
    team: team.find((b) => b.block === d)?.mean ?? null,
    org: org?.find((b) => b.block === d)?.mean ?? null,
  }));
}

/** Heatmap cell background: the accent colour mixed in proportion to the score (one hue, no traffic lights). */
export function heatStyle(score: number | null): { background: string; color: string } | undefined {
  if (score === null) return undefined;
  const strength = Math.round(Math.min(10, Math.max(0, score)) * 7); // 0–70 % of the accent
  return {
    background: `color-mix(in srgb, var(--calms-heat) ${strength}%, var(--surface))`,
    color: strength >= 45 ? "#fff" : "var(--text)",
  };
}

export interface TrendChartPoint {
  /** The round's closing date ("10 Nov 2026"): unique, the axis' category; the title is in the tooltip. */
  label: string;
  /** What the axis prints under the point: "Nov ’26", or "10 Nov" when two rounds closed in the same month. */
  tick: string;
  title: string;
  score: number | null;
  n: number;
  ci: number | null;
  hidden: boolean;
}

export interface TrendBand {
  from: string;
  to: string;
  low: number;
  high: number;
}

/** One block's trend: the scores per round and the "no clear change" bands between consecutive rounds. */
export function toTrendChart(trend: BlockTrend): { points: TrendChartPoint[]; bands: TrendBand[] } {
  const axisLabel = (p: { closesOn: string; roundId: number }) => `${formatLocalDate(p.closesOn)}`;
  const label = (id: number) => {
    const p = trend.points.find((x) => x.roundId === id);
    return p ? axisLabel(p) : "";
  };
  const month = (closesOn: string) => {
    const [y, m] = closesOn.split("-");
    return `${formatLocalDate(`${y}-${m}-01`).split(" ")[1]} ’${(y ?? "").slice(2)}`;
  };
  const months = trend.points.map((p) => month(p.closesOn));
  return {
    points: trend.points.map((p, i) => ({
      label: axisLabel(p),
      tick:
        months.filter((m) => m === months[i]).length > 1
          ? formatLocalDate(p.closesOn, { year: false })
          : (months[i] as string),
      title: p.title,
      score: p.score?.mean ?? null,
      n: p.n,
      ci: p.score?.ci ?? null,
      hidden: !p.visible,
    })),
    bands: trend.points.flatMap((p) =>
      p.change?.band
        ? [
            {
              from: label(p.change.fromRoundId),
              to: axisLabel(p),
              low: p.change.band[0],
              high: p.change.band[1],
            },
          ]
        : [],
    ),
  };
}
