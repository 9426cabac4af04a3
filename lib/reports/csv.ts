/**
 * CSV as RFC 4180 writes it (comma-separated, CRLF line ends, fields with a comma, quote or line break quoted, quotes
 * doubled), for spreadsheets: a UTF-8 byte-order mark so that Excel reads accents and dashes right, and no formula
 * injection. A text cell that begins with =, +, -, @, a tab or a carriage return would be run as a formula by Excel,
 * LibreOffice or Google Sheets (a PR titled `=HYPERLINK(…)`); such cells get a leading single quote, which
 * spreadsheets show as text. Numbers are written as numbers, negative ones too: only text is ever prefixed.
 */

export type Cell = string | number | boolean | null | undefined;

const BOM = "\uFEFF";
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: numbers as numbers, booleans as true/false, null as empty, text neutralised and quoted if needed. */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return csvHeader(columns) + csvLines(rows);
}

/** The first chunk of a streamed CSV: the byte-order mark and the header line. */
export function csvHeader(columns: readonly string[]): string {
  return `${BOM}${columns.map(csvField).join(",")}\r\n`;
}

/** Rows as CSV lines, each ending in CRLF: chunks after csvHeader make the text toCsv writes. */
export function csvLines(rows: readonly (readonly Cell[])[]): string {
  if (rows.length === 0) return "";
  // One join at the end: appending each line to a growing string made a rope V8 had to flatten at encode time.
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as readonly Cell[];
    let line = csvField(r[0]);
    for (let j = 1; j < r.length; j++) line += `,${csvField(r[j])}`;
    lines[i] = line;
  }
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * Parses RFC 4180 text into rows of fields (a leading BOM is skipped; CRLF or LF line ends; a final line end does
 * not make an empty row). For tests and for reading our own CSVs back; throws on an unterminated quote.
 */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < s.length) {
    const c = s[i] as string;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
      i++;
    } else if (c === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (c === "\r" || c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += c === "\r" && s[i + 1] === "\n" ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error("CSV: unterminated quoted field");
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
