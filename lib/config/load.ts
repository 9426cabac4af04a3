import fs from "node:fs";
import path from "node:path";
import { type Document, isMap, LineCounter, parseDocument } from "yaml";
import { ThroughlineConfig } from "./schema";

export const DEFAULT_CONFIG_FILE = "throughline.config.yaml";

/** A config problem with where it is: `throughline.config.yaml:12:9 teams[0].slug: …`. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; column: number; path: string; message: string }[],
  ) {
    super(
      `${file} is not valid:\n${problems
        .map(
          (p) => `  ${path.basename(file)}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ""}${p.message}`,
        )
        .join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

function dotted(p: readonly PropertyKey[]): string {
  return p.reduce<string>(
    (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    "",
  );
}

type Ranged = { range?: [number, number, number] | null } | null;

/** The deepest node on the path that exists (a missing key points at its parent). */
function deepest(doc: Document, p: readonly PropertyKey[]): Ranged {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n) as unknown[], true) as Ranged;
    if (node) return node;
  }
  return null;
}

/** The key node of `key` inside the map at `p`: an unknown setting is reported at its own line. */
function keyNode(doc: Document, p: readonly PropertyKey[], key: string | undefined): Ranged {
  const parent = p.length ? doc.getIn(p as unknown[], true) : doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
    if (pair?.key) return pair.key as Ranged;
  }
  return deepest(doc, p);
}

/** Parses and validates config text. `file` is only for messages. */
export function parseConfig(text: string, file = DEFAULT_CONFIG_FILE): ThroughlineConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: "", message: e.message.split("\n")[0] ?? e.message };
      }),
    );
  }
  const parsed = ThroughlineConfig.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    file,
    parsed.error.issues.map((issue) => {
      const node =
        issue.code === "unrecognized_keys"
          ? keyNode(doc, issue.path, issue.keys[0])
          : deepest(doc, issue.path);
      const pos = lines.linePos(node?.range?.[0] ?? 0);
      const message =
        issue.code === "unrecognized_keys"
          ? `unknown setting '${issue.keys.join("', '")}'`
          : issue.code === "invalid_type" && issue.input === undefined
            ? "is required"
            : issue.message;
      return { line: pos.line, column: pos.col, path: dotted(issue.path), message };
    }),
  );
}

/** Reads the config file; null when the default file does not exist (an explicit --config must exist). */
export function loadConfig(file?: string): { file: string; config: ThroughlineConfig } | null {
  const target = path.resolve(file ?? DEFAULT_CONFIG_FILE);
  if (!fs.existsSync(target)) {
    if (file) throw new ConfigError(target, [{ line: 1, column: 1, path: "", message: "file not found" }]);
    return null;
  }
  return { file: target, config: parseConfig(fs.readFileSync(target, "utf8"), target) };
}
