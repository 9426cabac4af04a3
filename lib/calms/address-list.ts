import { z } from "zod";

/**
 * The e-mail list an admin pastes on a round's page (issue 14: "an admin pastes the team's e-mail list"): one address
 * per line, or several separated by commas or semicolons, each bare or as `Name <address>` (what a mail client
 * copies). Every problem names its line; repeated addresses (any case) count once.
 */

export const MAX_ADDRESSES = 500;
const MAX_TEXT = 100_000;
const MAX_ERRORS = 10;

const Address = z
  .email({ error: "is not an e-mail address" })
  .max(254, "is longer than an e-mail address can be");

export type AddressList =
  | { ok: true; addresses: string[]; duplicates: number }
  | { ok: false; errors: string[] };

export function parseAddressList(input: unknown): AddressList {
  const text = z
    .string({ error: "Paste the e-mail addresses, one per line" })
    .max(MAX_TEXT, `At most ${MAX_TEXT.toLocaleString("en")} characters: paste the list in parts`)
    .safeParse(input);
  if (!text.success) return { ok: false, errors: text.error.issues.map((i) => i.message) };
  const errors: string[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const [i, line] of text.data.split(/\r?\n/).entries()) {
    for (const piece of line.split(/[,;]/)) {
      const raw = piece.trim();
      if (!raw) continue;
      // "Ada Lovelace <ada@example.com>" → the part in angle brackets.
      const candidate = (/<([^<>]*)>\s*$/.exec(raw)?.[1] ?? raw).trim();
      const parsed = Address.safeParse(candidate);
      if (!parsed.success) {
        errors.push(
          `Line ${i + 1}: “${raw.slice(0, 80)}” ${parsed.error.issues[0]?.message ?? "is not valid"}`,
        );
        continue;
      }
      const address = parsed.data.toLowerCase();
      if (seen.has(address)) duplicates++;
      else seen.add(address);
    }
  }
  if (errors.length > MAX_ERRORS)
    errors.splice(MAX_ERRORS, errors.length, `… and ${errors.length - MAX_ERRORS} more lines to correct`);
  if (errors.length) return { ok: false, errors };
  if (seen.size === 0) return { ok: false, errors: ["Paste at least one e-mail address"] };
  if (seen.size > MAX_ADDRESSES)
    return {
      ok: false,
      errors: [`${seen.size} addresses: at most ${MAX_ADDRESSES} at once, paste the rest afterwards`],
    };
  return { ok: true, addresses: [...seen], duplicates };
}
