import { StyleSheet } from "@react-pdf/renderer";
import type { Band } from "@/lib/metrics/bands";
import type { Tone } from "../charts";
import { FALLBACK, FALLBACK_BOLD, fallbackCovers, registerFallbackFonts } from "./fonts";

/**
 * The PDF's look: the design system's light palette (app/globals.css) in hex, and the PDF's built-in Helvetica, so
 * that no font is fetched (no network at render time, small files). Helvetica covers Windows-1252 only: pdfText()
 * spells out the few symbols our texts use, and other scripts fall back to DejaVu Sans per character (fonts.ts).
 */

export const COLORS = {
  text: "#15191e",
  text2: "#4a5360",
  text3: "#6b7482",
  border: "#e2e6eb",
  borderStrong: "#cbd2da",
  surface2: "#f1f3f6",
  accent: "#3b4ce0",
  good: "#15803d",
  bad: "#c0262d",
} as const;

export const TONES: Record<Tone, string> = {
  series1: "#3b4ce0",
  series1Soft: "#d3d7f8",
  fail: "#d9464c",
  rework: "#e08a1e",
  series2: "#0d9488",
  series2Soft: "#8fd1ca",
  series1Partial: "#aab2f0",
  failPartial: "#eea3a6",
  coding: "#6366f1",
  pickup: "#f59e0b",
  review: "#0ea5e9",
  deploy: "#10b981",
  grid: "#e2e6eb",
  label: "#6b7482",
};

export const BAND_COLORS: Record<Band | "none", { bg: string; fg: string }> = {
  elite: { bg: "#ede9fe", fg: "#5b21b6" },
  high: { bg: "#dcfce7", fg: "#166534" },
  medium: { bg: "#fef3c7", fg: "#92400e" },
  low: { bg: "#fee2e2", fg: "#991b1b" },
  none: { bg: "#f1f3f6", fg: "#6b7482" },
};

export const TREND_COLORS = {
  better: COLORS.good,
  worse: COLORS.bad,
  flat: COLORS.text3,
  info: COLORS.text3,
};

/** Page geometry in points: A4 (595 × 842) by default, US Letter (612 × 792) on request. */
export const PAPER = {
  a4: { size: "A4" as const, width: 595.28, height: 841.89 },
  letter: { size: "LETTER" as const, width: 612, height: 792 },
};
export type Paper = keyof typeof PAPER;
export const MARGIN = { x: 40, top: 40, bottom: 56 };

const REPLACEMENTS: Record<string, string> = {
  "\u2212": "-", // minus sign
  "\u2192": "->",
  "\u2190": "<-",
  "\u2248": "~",
  "\u2265": ">=",
  "\u2264": "<=",
  "\u25b2": "+",
  "\u25bc": "-",
  "\u2009": " ",
  "\u202f": " ",
  "\u2011": "-",
};
/** Windows-1252 characters above Latin-1 that Helvetica has. */
const CP1252 = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

/** Text the built-in Helvetica can show: other characters are spelled out, or become "?". */
export function pdfText(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff) || CP1252.has(ch)) out += ch;
    else out += REPLACEMENTS[ch] ?? (HAS_FALLBACK && fallbackCovers(code) ? ch : "?");
  }
  return out;
}

const HAS_FALLBACK = registerFallbackFonts();
/** Helvetica first (its metrics decide the layout), DejaVu Sans for characters it lacks. */
export const FONT = HAS_FALLBACK ? ["Helvetica", FALLBACK] : "Helvetica";
export const FONT_BOLD = HAS_FALLBACK ? ["Helvetica-Bold", FALLBACK_BOLD] : "Helvetica-Bold";

export const S = StyleSheet.create({
  page: {
    paddingTop: MARGIN.top,
    paddingBottom: MARGIN.bottom,
    paddingHorizontal: MARGIN.x,
    fontFamily: FONT,
    fontSize: 9.5,
    color: COLORS.text,
  },
  eyebrow: {
    fontSize: 8,
    color: COLORS.accent,
    fontFamily: FONT_BOLD,
    letterSpacing: 0.6,
    marginBottom: 4,
  },
  title: { fontSize: 22, fontFamily: FONT_BOLD, marginBottom: 4 },
  subtitle: { fontSize: 9.5, color: COLORS.text2, marginBottom: 2 },
  h1: { fontSize: 15, fontFamily: FONT_BOLD, marginBottom: 4 },
  h2: { fontSize: 11, fontFamily: FONT_BOLD, marginBottom: 3 },
  lead: { fontSize: 9, color: COLORS.text2, marginBottom: 10 },
  small: { fontSize: 7.5, color: COLORS.text3 },
  muted: { color: COLORS.text3 },
  bold: { fontFamily: FONT_BOLD },
  row: { flexDirection: "row" },
  footer: {
    position: "absolute",
    bottom: 24,
    left: MARGIN.x,
    right: MARGIN.x,
    flexDirection: "row",
    justifyContent: "space-between",
    fontSize: 7.5,
    color: COLORS.text3,
    borderTopWidth: 0.6,
    borderTopColor: COLORS.border,
    paddingTop: 6,
  },
  card: { borderWidth: 0.8, borderColor: COLORS.border, borderRadius: 4, padding: 8 },
  chip: {
    fontSize: 7,
    fontFamily: FONT_BOLD,
    paddingHorizontal: 4,
    paddingVertical: 1.5,
    borderRadius: 3,
  },
  th: { fontSize: 7, fontFamily: FONT_BOLD, color: COLORS.text3, textTransform: "uppercase" },
  td: { fontSize: 8.5 },
  tableRow: {
    flexDirection: "row",
    borderBottomWidth: 0.6,
    borderBottomColor: COLORS.border,
    paddingVertical: 4,
    alignItems: "center",
  },
});
