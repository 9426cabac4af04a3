import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Cell, csvField, parseCsv, toCsv } from "@/lib/reports/csv";
import { localTime } from "@/lib/reports/datasets";
import { localTimeFormatter } from "@/lib/reports/local-time";
import { crc32, zip, zipStream } from "@/lib/reports/zip";
import { unzip } from "@/test/helpers/unzip";

describe("CSV (RFC 4180, for spreadsheets)", () => {
  it("quotes what needs quoting, doubles quotes, ends lines with CRLF, starts with a BOM", () => {
    const csv = toCsv(
      ["a", "b", "c"],
      [
        ["plain", 'say "hi"', "one, two"],
        ["line\nbreak", null, true],
      ],
    );
    expect(csv).toBe('\uFEFFa,b,c\r\nplain,"say ""hi""","one, two"\r\n"line\nbreak",,true\r\n');
  });

  it("neutralises text that a spreadsheet would run as a formula", () => {
    for (const danger of [
      "=1+1",
      "+1",
      "-1",
      "@SUM(A1)",
      "\tTAB",
      "\rCR",
      '=HYPERLINK("http://x.test","click")',
    ]) {
      const field = csvField(danger);
      expect(field.replace(/^"/, "")[0], JSON.stringify(danger)).toBe("'");
    }
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("\rCR")).toBe('"\'\rCR"');
    expect(csvField('=HYPERLINK("http://x.test","click")')).toBe(
      '"\'=HYPERLINK(""http://x.test"",""click"")"',
    );
    // Only at the start, and only text.
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField("2026-07-01")).toBe("2026-07-01");
  });

  it("keeps numbers as numbers, negative ones too", () => {
    expect(csvField(-3)).toBe("-3");
    expect(csvField(-0.25)).toBe("-0.25");
    expect(csvField(42)).toBe("42");
    expect(csvField(1.5e-7)).toBe("1.5e-7");
    expect(csvField(Number.NaN)).toBe("");
    expect(csvField("-3")).toBe("'-3"); // text that looks like a number stays text
  });

  it("round-trips through the parser, awkward cells included", () => {
    const rows: Cell[][] = [
      ["comma, inside", 'quote " inside', "multi\r\nline", "", -12.5, 0],
      ["=cmd|' /C calc'!A0", "@mention", "+sign", "-dash", "tab\tinside", "ünïcödé – “quotes”"],
      [null, false, true, 7, "trailing space ", " leading space"],
    ];
    const parsed = parseCsv(toCsv(["c1", "c2", "c3", "c4", "c5", "c6"], rows));
    expect(parsed).toEqual([
      ["c1", "c2", "c3", "c4", "c5", "c6"],
      ["comma, inside", 'quote " inside', "multi\r\nline", "", "-12.5", "0"],
      ["'=cmd|' /C calc'!A0", "'@mention", "'+sign", "'-dash", "tab\tinside", "ünïcödé – “quotes”"],
      ["", "false", "true", "7", "trailing space ", " leading space"],
    ]);
  });

  it("parses LF line ends, a last line without a line end, and refuses an open quote", () => {
    expect(parseCsv("a,b\nc,d")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(() => parseCsv('a,"b')).toThrow(/unterminated/);
  });

  it("writes instants in the org's time zone, DST included", () => {
    expect(localTime("2026-03-28T23:30:00Z", "Europe/Berlin")).toBe("2026-03-29 00:30:00");
    expect(localTime("2026-03-29T23:30:00Z", "Europe/Berlin")).toBe("2026-03-30 01:30:00");
    expect(localTime(null, "UTC")).toBeNull();
  });
});

describe("ZIP of the CSVs", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it("round-trips every file, and unzip -t agrees when it is installed", () => {
    const files = [
      { name: "throughline-payments-2026-Q3-metrics.csv", data: Buffer.from(toCsv(["a"], [["=x"], [-1]])) },
      { name: "throughline-payments-2026-Q3-deployments.csv", data: Buffer.from("x".repeat(50_000)) },
      { name: "empty.csv", data: Buffer.alloc(0) },
    ];
    const archive = zip(files, new Date("2026-10-01T08:30:00Z"));
    const back = unzip(archive);
    expect([...back.keys()]).toEqual(files.map((f) => f.name));
    for (const f of files) expect(back.get(f.name)?.equals(f.data)).toBe(true);
    expect(archive.length).toBeLessThan(50_000); // deflated

    unzipAgrees(archive);
  });

  it("streams: entries in chunks, sizes in data descriptors, the same files back", async () => {
    const files = [
      { name: "a.csv", parts: ["header\r\n", "x".repeat(70_000), "ü,é\r\n"] },
      { name: "empty.csv", parts: [] },
      { name: "b.csv", parts: ["1\r\n"] },
    ];
    const chunks: Buffer[] = [];
    const entries = files.map((f) => ({
      name: f.name,
      chunks: async function* () {
        for (const p of f.parts) yield Buffer.from(p);
      },
    }));
    for await (const c of zipStream(entries, new Date("2026-10-01T08:30:00Z"))) chunks.push(c);
    const archive = Buffer.concat(chunks);
    const back = unzip(archive);
    expect([...back.keys()]).toEqual(files.map((f) => f.name));
    for (const f of files) expect(back.get(f.name)?.toString()).toBe(f.parts.join(""));
    unzipAgrees(archive);
  });

  it("a failing entry fails the stream instead of hanging it", async () => {
    const broken = async function* () {
      yield Buffer.from("a,b\r\n");
      throw new Error("the query failed");
    };
    const read = async () => {
      for await (const _ of zipStream([{ name: "x.csv", chunks: broken }])) {
        // drain
      }
    };
    await expect(read()).rejects.toThrow("the query failed");
  });
});

/** `unzip -t`, when installed, reads the archive as any unzip tool would. */
function unzipAgrees(archive: Buffer): void {
  if (spawnSync("unzip", ["-v"]).error !== undefined) return;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tl-zip-")), "r.zip");
  fs.writeFileSync(file, archive);
  const test = spawnSync("unzip", ["-t", file], { encoding: "utf8" });
  expect(test.stdout).toContain("No errors detected");
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

describe("local time for the CSVs, one formatter per export", () => {
  const intl = (zone: string) =>
    new Intl.DateTimeFormat("sv-SE", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
  const ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Africa/Casablanca",
    "America/Santiago",
  ];

  it("writes what Intl writes, every hour and a second of two years and around each transition", () => {
    for (const zone of ZONES) {
      const fast = localTimeFormatter(zone);
      const slow = intl(zone);
      const from = Date.UTC(2025, 0, 1);
      const to = Date.UTC(2027, 0, 1);
      for (let ms = from; ms < to; ms += 3_601_000) {
        const iso = `${new Date(ms).toISOString().slice(0, 19)}Z`;
        expect(fast(iso), `${zone} ${iso}`).toBe(slow.format(ms));
      }
      // Every 7 seconds of the hours around each change of offset (the hour of a change is Intl's, instant by instant).
      const offset = (ms: number) => Date.parse(`${slow.format(ms).replace(" ", "T")}Z`) - ms;
      let before = offset(from);
      for (let h = from + 3_600_000; h < to; h += 3_600_000) {
        const now = offset(h);
        if (now === before) continue;
        before = now;
        for (let ms = h - 7_200_000; ms < h + 3_600_000; ms += 7_000) {
          const iso = `${new Date(ms).toISOString().slice(0, 19)}Z`;
          expect(fast(iso), `${zone} ${iso}`).toBe(slow.format(ms));
        }
      }
    }
  });

  it("writes what Intl writes for old instants (offsets in seconds) and far ones, and null for none", () => {
    for (const zone of ["Europe/Amsterdam", "Asia/Kolkata", "Africa/Monrovia", "America/Sao_Paulo"]) {
      const fast = localTimeFormatter(zone);
      const slow = intl(zone);
      for (const iso of [
        "1899-06-01T12:34:56Z",
        "1937-07-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
      ])
        expect(fast(iso), `${zone} ${iso}`).toBe(slow.format(new Date(iso)));
    }
    expect(localTimeFormatter("UTC")(null)).toBeNull();
    expect(localTimeFormatter("UTC")("")).toBeNull();
  });
});
