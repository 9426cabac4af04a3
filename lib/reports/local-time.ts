import { dateTimeFormat } from "@/lib/format";

/**
 * `YYYY-MM-DD HH:MM:SS` in a time zone, for the CSV exports: the text Intl's sv-SE locale writes (ISO order, 24 h),
 * at a fraction of its cost. An export writes several instants per row for hundreds of thousands of rows, and
 * Intl's format is ~2 µs a call; a zone's offset, though, changes a few times a year. So a formatter asks Intl once
 * per UTC hour for the offset at both ends of that hour, and where they agree (every hour but those holding a
 * transition) writes the local time from the instant plus the offset; an hour whose offset changes inside it is
 * formatted by Intl, instant by instant. One formatter per export, so its cache lives and dies with the export.
 */

export type LocalTimeFormatter = (isoUtc: unknown) => string | null;

const HOUR = 3_600_000;
const SHAPE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/;
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

export function localTimeFormatter(zone: string): LocalTimeFormatter {
  const intl = dateTimeFormat("sv-SE", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  // UTC hour → the zone's offset in ms throughout that hour, or null when Intl must format it (a transition, or a
  // text this shortcut does not reproduce).
  const offsets = new Map<number, number | null>();
  const offsetAt = (ms: number): number | null => {
    const m = SHAPE.exec(intl.format(ms));
    if (!m) return null;
    const wall = Date.UTC(+(m[1] as string), +(m[2] as string) - 1, +(m[3] as string), +(m[4] as string));
    const local = wall + +(m[5] as string) * 60_000 + +(m[6] as string) * 1_000;
    return local - Math.floor(ms / 1_000) * 1_000;
  };
  const hourOffset = (hour: number): number | null => {
    let off = offsets.get(hour);
    if (off === undefined) {
      const a = offsetAt(hour * HOUR);
      off = a !== null && a === offsetAt(hour * HOUR + HOUR - 1_000) ? a : null;
      offsets.set(hour, off);
    }
    return off;
  };
  return (isoUtc) => {
    if (!isoUtc) return null;
    const ms = Date.parse(String(isoUtc));
    if (Number.isNaN(ms)) return intl.format(new Date(String(isoUtc))); // Intl's own error, as before
    const off = hourOffset(Math.floor(ms / HOUR));
    if (off === null) return intl.format(ms);
    const d = new Date(Math.floor(ms / 1_000) * 1_000 + off);
    const y = d.getUTCFullYear();
    if (y < 1000 || y > 9999) return intl.format(ms);
    return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  };
}
