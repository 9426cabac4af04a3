import fs from "node:fs";
import path from "node:path";
import { Font } from "@react-pdf/renderer";

/**
 * Names in reports are not all Latin-1: a Polish team (Zespół Płatności), a Greek or Cyrillic service. The PDF keeps
 * the built-in Helvetica for what it can show (no font embedded for most reports, unchanged layout) and falls back
 * per character to DejaVu Sans (npm `dejavu-fonts-ttf`, a free font with Latin Extended, Greek and Cyrillic), which
 * react-pdf embeds as a subset only when a character needs it. Read from node_modules on disk, never fetched.
 */

const DIR = path.join(process.cwd(), "node_modules", "dejavu-fonts-ttf", "ttf");
export const FALLBACK = "DejaVuSans";
export const FALLBACK_BOLD = "DejaVuSans-Bold";

let registered: boolean | null = null;

/** Registers the fallback fonts once; false when they are not installed (characters then become "?"). */
export function registerFallbackFonts(): boolean {
  if (registered !== null) return registered;
  const regular = path.join(DIR, "DejaVuSans.ttf");
  const bold = path.join(DIR, "DejaVuSans-Bold.ttf");
  registered = fs.existsSync(regular) && fs.existsSync(bold);
  if (registered) {
    Font.register({ family: FALLBACK, src: regular });
    Font.register({ family: FALLBACK_BOLD, src: bold });
  }
  return registered;
}

/**
 * Scripts DejaVu Sans covers and that need no shaping or right-to-left layout (react-pdf does neither well):
 * Latin Extended A/B and Additional (Vietnamese), IPA and modifiers, Greek and Greek Extended, Cyrillic and its
 * supplement, Georgian, Armenian, punctuation, currency, letter-like symbols, arrows, maths, box drawing, shapes.
 */
const RANGES: [number, number][] = [
  [0x0100, 0x036f],
  [0x0370, 0x03ff],
  [0x0400, 0x052f],
  [0x0530, 0x058f],
  [0x10a0, 0x10ff],
  [0x1e00, 0x1fff],
  [0x2000, 0x22ff],
  [0x2500, 0x25ff],
];

export function fallbackCovers(codePoint: number): boolean {
  return RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);
}
