import { durationAxis } from "@/lib/charts/axis";
import {
  type BreakdownBar,
  type DeploymentBar,
  type LeadTimePoint,
  partialNote,
  type RatePoint,
  type RecoveryPoint,
} from "@/lib/charts/mappers";
import type { Granularity } from "@/lib/metrics/period";
import type { ReportCharts } from "./types";

/**
 * The report's charts as plain geometry (rectangles, lines, paths, text) computed from the dashboard's mapper
 * output. The PDF draws it with @react-pdf's Svg primitives and the printable page with inline SVG, so both show the
 * same chart, drawn on the server: Recharts draws only in the browser. Colours are tones, mapped by each renderer
 * (hex in the PDF, the design system's CSS variables on the page). The chart types and axes are the dashboard's
 * (app/_components/charts): stacked bars for counts, lines with points for rates and durations, one unit per axis.
 */

export type Tone =
  | "series1"
  | "series1Soft"
  | "fail"
  | "rework"
  | "series2"
  | "series2Soft"
  /** A partial bucket's bars: paler (the PDF has no hatch pattern). */
  | "series1Partial"
  | "failPartial"
  | "coding"
  | "pickup"
  | "review"
  | "deploy"
  | "grid"
  | "label";

export type Shape =
  | { kind: "rect"; x: number; y: number; w: number; h: number; fill: Tone }
  | { kind: "line"; x1: number; y1: number; x2: number; y2: number; stroke: Tone; width: number }
  | { kind: "path"; d: string; stroke: Tone | null; fill: Tone | null; width: number }
  | { kind: "circle"; cx: number; cy: number; r: number; fill: Tone }
  | { kind: "text"; x: number; y: number; text: string; size: number; anchor: "start" | "middle" | "end" };

export interface ChartGeometry {
  id: string;
  title: string;
  subtitle: string;
  legend: { label: string; tone: Tone }[];
  width: number;
  height: number;
  shapes: Shape[];
  /** Set when there is nothing to draw: the renderer shows this instead. */
  empty: string | null;
  /** A line under the chart (partial buckets). */
  note: string | null;
}

export interface Box {
  width: number;
  height: number;
  /** Tick label size, in the box's units. */
  font: number;
}

const PER: Record<Granularity, string> = { day: "day", week: "week", month: "month" };
const r1 = (n: number) => Math.round(n * 10) / 10;

interface Scale {
  ticks: number[];
  label: (v: number) => string;
  /** 0 at the bottom of the plot, 1 at the top. */
  at: (v: number) => number;
}

/** A linear scale from 0 with round steps; `integer` keeps steps whole (counts). */
export function linearScale(
  max: number,
  opts: { integer?: boolean; floor?: number; unit?: string } = {},
): Scale {
  const m = Math.max(max, opts.floor ?? 1);
  const raw = m / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const factors = opts.integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  let step = (factors.find((f) => f * pow >= raw) ?? 10) * pow;
  if (opts.integer) step = Math.max(1, Math.round(step));
  const top = Math.ceil(m / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) ticks.push(Number(v.toFixed(6)));
  return { ticks, label: (v) => `${Number(v.toFixed(2))}${opts.unit ?? ""}`, at: (v) => v / top };
}

/** A linear duration scale (hours) from zero in one unit: the dashboard's axis (lib/charts/axis.ts). */
export function durationScale(values: (number | null)[]): Scale {
  const { domain, ticks, label } = durationAxis(values);
  const top = domain[1];
  return { ticks, label, at: (v) => Math.min(Math.max(v, 0), top) / top };
}

/** Axes, grid and labels; returns the coordinates of bucket i and of a value. */
function frame(labels: string[], scale: Scale, box: Box) {
  const left = box.font * 5.2;
  const top = box.font * 0.8;
  const bottom = box.height - box.font * 2;
  const right = box.width - 4;
  const step = (right - left) / Math.max(labels.length, 1);
  const shapes: Shape[] = [];
  const y = (v: number) => bottom - scale.at(v) * (bottom - top);
  for (const t of scale.ticks) {
    shapes.push({ kind: "line", x1: left, y1: y(t), x2: right, y2: y(t), stroke: "grid", width: 0.6 });
    shapes.push({
      kind: "text",
      x: left - 4,
      y: y(t) + box.font * 0.35,
      text: scale.label(t),
      size: box.font,
      anchor: "end",
    });
  }
  const every = Math.max(
    1,
    Math.ceil(labels.length / Math.max(1, Math.floor((right - left) / (box.font * 6)))),
  );
  labels.forEach((label, i) => {
    if (i % every === 0) {
      shapes.push({
        kind: "text",
        x: left + step * (i + 0.5),
        y: bottom + box.font * 1.4,
        text: label,
        size: box.font,
        anchor: "middle",
      });
    }
  });
  return { shapes, x: (i: number) => left + step * (i + 0.5), y, step };
}

function stacked(f: ReturnType<typeof frame>, stacks: { value: number; tone: Tone }[][]): Shape[] {
  const w = Math.max(1, f.step * 0.72);
  return stacks.flatMap((stack, i) => {
    let base = 0;
    return stack.flatMap(({ value, tone }) => {
      if (value <= 0) return [];
      const y0 = f.y(base);
      base += value;
      const y1 = f.y(base);
      return [
        { kind: "rect" as const, x: r1(f.x(i) - w / 2), y: r1(y1), w: r1(w), h: r1(y0 - y1), fill: tone },
      ];
    });
  });
}

/** Runs of consecutive non-null values: a missing bucket is a gap in the line, not a zero. */
function runs<T>(values: (T | null)[]): { i: number; v: T }[][] {
  const out: { i: number; v: T }[][] = [];
  let run: { i: number; v: T }[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) out.push(run);
      run = [];
    } else run.push({ i, v });
  });
  if (run.length) out.push(run);
  return out;
}

function line(f: ReturnType<typeof frame>, values: (number | null)[], tone: Tone, r = 1.8): Shape[] {
  const shapes: Shape[] = [];
  for (const run of runs(values)) {
    if (run.length > 1) {
      const d = run.map((p, k) => `${k ? "L" : "M"} ${r1(f.x(p.i))} ${r1(f.y(p.v))}`).join(" ");
      shapes.push({ kind: "path", d, stroke: tone, fill: null, width: 1.5 });
    }
    for (const p of run) shapes.push({ kind: "circle", cx: r1(f.x(p.i)), cy: r1(f.y(p.v)), r, fill: tone });
  }
  return shapes;
}

function area(f: ReturnType<typeof frame>, bands: ([number, number] | null)[], tone: Tone): Shape[] {
  return runs(bands).map((run) => {
    if (run.length === 1 && run[0]) {
      const { i, v } = run[0];
      const w = Math.max(2, f.step * 0.4);
      return {
        kind: "rect" as const,
        x: r1(f.x(i) - w / 2),
        y: r1(f.y(v[1])),
        w: r1(w),
        h: r1(f.y(v[0]) - f.y(v[1])),
        fill: tone,
      };
    }
    const upper = run.map((p, k) => `${k ? "L" : "M"} ${r1(f.x(p.i))} ${r1(f.y(p.v[1]))}`);
    const lower = [...run].reverse().map((p) => `L ${r1(f.x(p.i))} ${r1(f.y(p.v[0]))}`);
    return {
      kind: "path" as const,
      d: `${[...upper, ...lower].join(" ")} Z`,
      stroke: null,
      fill: tone,
      width: 0,
    };
  });
}

const EMPTY_SCALE = linearScale(1);

export function deploymentsChart(data: DeploymentBar[], g: Granularity, box: Box): ChartGeometry {
  const scale = linearScale(Math.max(0, ...data.map((d) => d.total)), { integer: true });
  const f = frame(
    data.map((d) => d.label),
    scale,
    box,
  );
  const total = data.reduce((n, d) => n + d.total, 0);
  const note = partialNote(data, g);
  return {
    id: "deployments",
    title: "Deployments",
    subtitle: `Per ${PER[g]}; failed = needed remediation`,
    legend: [
      { label: "Succeeded", tone: "series1" },
      { label: "Failed", tone: "fail" },
      ...(note ? [{ label: `Partial ${PER[g]}`, tone: "series1Partial" as const }] : []),
    ],
    width: box.width,
    height: box.height,
    shapes: [
      ...f.shapes,
      ...stacked(
        f,
        data.map((d) => [
          { value: d.succeeded, tone: d.partial ? "series1Partial" : "series1" },
          { value: d.failed, tone: d.partial ? "failPartial" : "fail" },
        ]),
      ),
    ],
    empty: total === 0 ? "No deployments in this period." : null,
    // The PDF has no hatch pattern: partial bars are paler, and the note says which and why.
    note: note?.replace(/^Hatched/, "Paler") ?? null,
  };
}

export function leadTimeChart(data: LeadTimePoint[], g: Granularity, box: Box): ChartGeometry {
  const scale = durationScale(data.flatMap((d) => [d.median, d.band?.[1] ?? null, d.band?.[0] ?? null]));
  const f = frame(
    data.map((d) => d.label),
    scale,
    box,
  );
  return {
    id: "lead-time",
    title: "Change lead time",
    subtitle: `Median per ${PER[g]}, with the p75–p90 band`,
    legend: [
      { label: "Median", tone: "series1" },
      { label: "p75–p90", tone: "series1Soft" },
    ],
    width: box.width,
    height: box.height,
    shapes: [
      ...f.shapes,
      ...area(
        f,
        data.map((d) => d.band),
        "series1Soft",
      ),
      ...line(
        f,
        data.map((d) => d.median),
        "series1",
      ),
    ],
    empty: data.every((d) => d.median === null) ? "No change reached production in this period." : null,
    note: null,
  };
}

export function ratesChart(data: RatePoint[], g: Granularity, box: Box): ChartGeometry {
  const max = Math.max(0, ...data.flatMap((d) => [d.changeFailure ?? 0, d.rework ?? 0]));
  const scale = linearScale(max, { floor: 10, unit: "%" });
  const f = frame(
    data.map((d) => d.label),
    scale,
    box,
  );
  return {
    id: "rates",
    title: "Change failure and rework rate",
    subtitle: `Per ${PER[g]}; empty where nothing was deployed`,
    legend: [
      { label: "Change failure rate", tone: "fail" },
      { label: "Rework rate", tone: "rework" },
    ],
    width: box.width,
    height: box.height,
    // Failure first and larger, rework on top and smaller: equal values stay visible as a dot in a ring.
    shapes: [
      ...f.shapes,
      ...line(
        f,
        data.map((d) => d.changeFailure),
        "fail",
        2.6,
      ),
      ...line(
        f,
        data.map((d) => d.rework),
        "rework",
        1.4,
      ),
    ],
    empty: data.every((d) => d.changeFailure === null) ? "Nothing was deployed in this period." : null,
    note: null,
  };
}

/** Median and p90 recovery per bucket as lines with points on a linear duration axis (the dashboard's chart). */
export function recoveryChart(data: RecoveryPoint[], g: Granularity, box: Box): ChartGeometry {
  const f = frame(
    data.map((d) => d.label),
    durationScale(data.flatMap((d) => [d.median, d.p90])),
    box,
  );
  return {
    id: "recovery",
    title: "Failed deployment recovery time",
    subtitle: `Median and p90 per ${PER[g]} of the failure`,
    legend: [
      { label: "Median", tone: "series2" },
      { label: "p90", tone: "series2Soft" },
    ],
    width: box.width,
    height: box.height,
    shapes: [
      ...f.shapes,
      ...line(
        f,
        data.map((d) => d.p90),
        "series2Soft",
        1.6,
      ),
      ...line(
        f,
        data.map((d) => d.median),
        "series2",
      ),
    ],
    empty: data.every((d) => d.median === null) ? "No failed deployment recovered in this period." : null,
    note: null,
  };
}

const STAGE_TONES = [
  ["coding", "Coding"],
  ["pickup", "Pickup"],
  ["review", "Review"],
  ["deploy", "Deploy"],
] as const;

export function breakdownChart(data: BreakdownBar[], g: Granularity, box: Box): ChartGeometry {
  const sums = data.map((d) => STAGE_TONES.reduce((n, [k]) => n + (d[k] ?? 0), 0));
  const scale = data.some((d) => d.prs > 0) ? durationScale(sums) : EMPTY_SCALE;
  const f = frame(
    data.map((d) => d.label),
    scale,
    box,
  );
  return {
    id: "breakdown",
    title: "Where lead time goes, over time",
    subtitle: `Stage medians per ${PER[g]}, stacked: a stack of medians, not a median`,
    legend: STAGE_TONES.map(([tone, label]) => ({ label, tone })),
    width: box.width,
    height: box.height,
    shapes: [
      ...f.shapes,
      ...stacked(
        f,
        data.map((d) => STAGE_TONES.map(([k]) => ({ value: d[k] ?? 0, tone: k }))),
      ),
    ],
    empty: data.every((d) => d.prs === 0) ? "No pull request reached production in this period." : null,
    note: null,
  };
}

/** The four trend charts, in the dashboard's order. */
export function trendCharts(c: ReportCharts, box: Box): ChartGeometry[] {
  return [
    deploymentsChart(c.deployments, c.granularity, box),
    leadTimeChart(c.leadTime, c.granularity, box),
    ratesChart(c.rates, c.granularity, box),
    recoveryChart(c.recovery, c.granularity, box),
  ];
}
