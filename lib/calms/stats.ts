/**
 * The few statistics the CALMS results need, in plain TypeScript (docs/calms.md § Statistics). Sample variances
 * use n − 1; confidence intervals use Student's t, because team groups are small (5–10 answers), where the normal
 * approximation (±1.96 SE) would overstate certainty.
 */

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample variance (n − 1); null below two values. */
export function variance(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs) as number;
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return ss / (xs.length - 1);
}

export function sd(xs: readonly number[]): number | null {
  const v = variance(xs);
  return v === null ? null : Math.sqrt(v);
}

/** Two-sided 95% critical values of Student's t (t₀.₉₇₅) by degrees of freedom. */
const T_TABLE: [number, number][] = [
  [1, 12.706],
  [2, 4.303],
  [3, 3.182],
  [4, 2.776],
  [5, 2.571],
  [6, 2.447],
  [7, 2.365],
  [8, 2.306],
  [9, 2.262],
  [10, 2.228],
  [11, 2.201],
  [12, 2.179],
  [13, 2.16],
  [14, 2.145],
  [15, 2.131],
  [16, 2.12],
  [17, 2.11],
  [18, 2.101],
  [19, 2.093],
  [20, 2.086],
  [22, 2.074],
  [24, 2.064],
  [26, 2.056],
  [28, 2.048],
  [30, 2.042],
  [40, 2.021],
  [60, 2.0],
  [120, 1.98],
];

/**
 * t₀.₉₇₅ for `df` degrees of freedom (fractional df from Welch's formula allowed): the table above, interpolated
 * linearly in 1/df between its rows (accurate to about 0.002), 1.96 beyond 120.
 */
export function tCritical(df: number): number {
  if (!(df > 0)) return Number.NaN;
  const d = Math.max(1, df);
  const first = T_TABLE[0] as [number, number];
  if (d <= first[0]) return first[1];
  for (let i = 1; i < T_TABLE.length; i++) {
    const [hiDf, hiT] = T_TABLE[i] as [number, number];
    if (d <= hiDf) {
      const [loDf, loT] = T_TABLE[i - 1] as [number, number];
      const share = (1 / loDf - 1 / d) / (1 / loDf - 1 / hiDf);
      return loT + (hiT - loT) * share;
    }
  }
  const [lastDf, lastT] = T_TABLE[T_TABLE.length - 1] as [number, number];
  const share = (1 / lastDf - 1 / d) / (1 / lastDf);
  return lastT + (1.96 - lastT) * share;
}

export interface Summary {
  n: number;
  mean: number | null;
  sd: number | null;
  /** Half-width of the 95% confidence interval of the mean (t with n − 1 df); null below two values. */
  ci: number | null;
}

export function summarise(xs: readonly number[]): Summary {
  const s = sd(xs);
  return {
    n: xs.length,
    mean: mean(xs),
    sd: s,
    ci: s === null ? null : (tCritical(xs.length - 1) * s) / Math.sqrt(xs.length),
  };
}

export interface Difference {
  /** b − a */
  diff: number;
  /** Standard error of the difference of two independent means (Welch). */
  se: number;
  /** Welch–Satterthwaite degrees of freedom (Infinity when both SDs are 0). */
  df: number;
  /** Half-width of the "no clear change" band: t₀.₉₇₅(df) × se. */
  margin: number;
}

/**
 * The difference between two independent means (two rounds of a team: different moments, partly different people)
 * with Welch's standard error, which does not assume equal variances or equal n. Null when either side has fewer
 * than two values (no variance, no error estimate).
 */
export function welch(a: Summary, b: Summary): Difference | null {
  if (a.mean === null || b.mean === null || a.sd === null || b.sd === null) return null;
  const va = a.sd ** 2 / a.n;
  const vb = b.sd ** 2 / b.n;
  const se = Math.sqrt(va + vb);
  const diff = b.mean - a.mean;
  if (se === 0) return { diff, se: 0, df: Number.POSITIVE_INFINITY, margin: 0 };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return { diff, se, df, margin: tCritical(df) * se };
}

/** Pearson correlation; null when either side does not vary. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length || xs.length < 2) return null;
  const mx = mean(xs) as number;
  const my = mean(ys) as number;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
