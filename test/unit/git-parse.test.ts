import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openClone } from "@/lib/ingest/git/clone";
import { gitOutput } from "@/lib/ingest/git/exec";
import { LOG_ARGS, LogParser, parseLog } from "@/lib/ingest/git/log";
import { globProblem } from "@/lib/ingest/git/options";
import { localName, nameFromRemote } from "@/lib/ingest/git/remote";
import { parseTags, TAG_ARGS } from "@/lib/ingest/git/tags";
import { GitRepo } from "@/test/helpers/git-repo";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

/** What `git log -z --format=…` prints for one commit: seven NUL-separated fields, NUL-terminated. */
const record = (...fields: string[]) => `${fields.join("\0")}\0`;

describe("git log parser", () => {
  const odd = "Zoë O'Brien | 山田\t\u001f\u001e 🚀";
  const output =
    record(
      A,
      `${B} ${C}`,
      "1772443800",
      "1772445600",
      odd,
      "zoe@example.com",
      "Merge branch 'x' | ; \t tab",
    ) +
    record(B, C, "1772440000", "1772440000", "", "", "") +
    record(C, "", "1772430000", "1772430001", "Ünïcødé", "ü@example.com", "Ünïcødé title ✓");

  it("reads names and titles with separators, empty fields and unicode as written", () => {
    expect(parseLog(output)).toEqual([
      {
        sha: A,
        parentShas: [B, C],
        authoredAt: new Date("2026-03-02T09:30:00Z"),
        committedAt: new Date("2026-03-02T10:00:00Z"),
        authorName: odd,
        authorEmail: "zoe@example.com",
        title: "Merge branch 'x' | ; \t tab",
      },
      {
        sha: B,
        parentShas: [C],
        authoredAt: new Date(1_772_440_000_000),
        committedAt: new Date(1_772_440_000_000),
        authorName: "",
        authorEmail: "",
        title: "",
      },
      {
        sha: C,
        parentShas: [],
        authoredAt: new Date(1_772_430_000_000),
        committedAt: new Date(1_772_430_001_000),
        authorName: "Ünïcødé",
        authorEmail: "ü@example.com",
        title: "Ünïcødé title ✓",
      },
    ]);
  });

  it("gives the same commits whatever the chunk boundaries, even inside a multi-byte character", () => {
    const bytes = Buffer.from(output, "utf8");
    const whole = parseLog(bytes);
    for (const size of [1, 2, 3, 7, 64]) {
      const parser = new LogParser();
      const got = [];
      for (let i = 0; i < bytes.length; i += size) got.push(...parser.push(bytes.subarray(i, i + size)));
      parser.end();
      expect(got).toEqual(whole);
    }
  });

  it("refuses output cut short or that is not a log", () => {
    expect(() => parseLog(output.slice(0, -5))).toThrow(/ended inside a commit record/);
    expect(() => parseLog(record("not-a-sha", "", "1", "1", "", "", ""))).toThrow(/not a commit id/);
    expect(() => parseLog(record(A, "", "", "1", "", "", ""))).toThrow(/no valid time/);
  });

  it("round-trips what git itself prints for odd identities and an empty message", () => {
    const repo = new GitRepo();
    try {
      const who = { name: "Zoë | Ünïcødé\t山田", email: "zoë@example.com" };
      repo.commit("First ✓ | with \u001f separators", who, "2026-03-02T09:00:00Z");
      repo.git(
        ["commit", "-q", "--allow-empty", "--allow-empty-message", "-m", ""],
        who,
        "2026-03-02T10:00:00Z",
      );
      const commits = parseLog(repo.git(["log", ...LOG_ARGS]));
      expect(commits.map((c) => [c.authorName, c.authorEmail, c.title, c.parentShas.length])).toEqual([
        [who.name, who.email, "", 1],
        [who.name, who.email, "First ✓ | with \u001f separators", 0],
      ]);
      expect(commits[0]?.authoredAt).toEqual(new Date("2026-03-02T10:00:00Z"));
    } finally {
      repo.remove();
    }
  });
});

describe("tag listing parser", () => {
  const line = (...f: string[]) => f.join("\0");
  it("dates annotated tags by their tagger and lightweight ones by their commit", () => {
    const out = [
      line("v1.0.0", "commit", A, "", "", "", "1772445600", ""),
      line("v1.1.0", "tag", B, "commit", C, "1772636400", "", "1772616600"),
      line("v0.9", "tag", B, "commit", A, "", "", "1772400000"), // a tag object without a tagger line
      line("nested", "tag", C, "tag", B, "1772700000", "", ""),
      line("a-tree", "tree", C, "", "", "", "", ""),
      "",
    ].join("\n");
    expect(parseTags(out)).toEqual({
      tags: [
        { name: "v1.0.0", sha: A, at: new Date("2026-03-02T10:00:00Z"), annotated: false },
        { name: "v1.1.0", sha: C, at: new Date("2026-03-04T15:00:00Z"), annotated: true },
        { name: "v0.9", sha: A, at: new Date(1_772_400_000_000), annotated: true },
      ],
      nested: [{ name: "nested", taggerAt: new Date(1_772_700_000_000) }],
    });
  });

  it("reads what git for-each-ref prints", () => {
    const repo = new GitRepo();
    try {
      const sha = repo.commit(
        "One",
        { name: "A", email: "a@example.com" },
        "2026-03-02T08:00:00Z",
        "2026-03-02T09:00:00Z",
      );
      repo.tag("light");
      repo.annotatedTag("release/ünï", "2026-03-04T15:00:00Z");
      expect(parseTags(repo.git([...TAG_ARGS])).tags).toEqual([
        { name: "light", sha, at: new Date("2026-03-02T09:00:00Z"), annotated: false },
        { name: "release/ünï", sha, at: new Date("2026-03-04T15:00:00Z"), annotated: true },
      ]);
    } finally {
      repo.remove();
    }
  });
});

describe("repository names from the origin remote", () => {
  it.each([
    ["https://github.com/acme/api.git", "acme/api", "https://github.com/acme/api"],
    ["https://x-token:secret@github.com/acme/api", "acme/api", "https://github.com/acme/api"],
    ["git@github.com:acme/api.git", "acme/api", "https://github.com/acme/api"],
    ["ssh://git@github.example.com:2222/acme/api.git", "acme/api", "https://github.example.com/acme/api"],
    ["git@gitlab.com:group/sub/api.git", "sub/api", "https://gitlab.com/group/sub/api"],
    ["https://gitlab.com/group/sub/api/", "sub/api", "https://gitlab.com/group/sub/api"],
  ])("%s → %s", (url, fullName, web) => {
    expect(nameFromRemote(url)).toEqual({ fullName, url: web });
  });

  it.each([
    "/srv/git/api.git",
    "file:///srv/git/api.git",
    "../api",
    "C:\\repos\\api",
    "https://github.com/acme",
  ])("%s names no owner", (url) => {
    expect(nameFromRemote(url)).toBeNull();
  });

  it("falls back to local/<directory>", () => {
    expect(localName("/home/me/src/api")).toBe("local/api");
    expect(localName("/srv/git/api.git/")).toBe("local/api");
    expect(localName("/home/me/my project")).toBe("local/my-project");
  });
});

describe("tag globs", () => {
  it("accepts * and ? globs and explains the rest", () => {
    expect(globProblem("v*")).toBeNull();
    expect(globProblem("release-?.*")).toBeNull();
    expect(globProblem("prod/2026-*")).toBeNull();
    expect(globProblem("")).toMatch(/empty/);
    expect(globProblem("v [0-9]")).toMatch(/space/);
    expect(globProblem("v[0-9]*")).toMatch(/only \* .* and \?/);
    expect(globProblem("v{1,2}*")).toMatch(/only \*/);
    expect(globProblem("v1..2")).toMatch(/cannot/);
    expect(globProblem("refs/tags/v*")).toMatch(/tag name only/);
  });
});

describe("opening a clone", () => {
  it("says so when git is not installed", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-no-git-"));
    const before = process.env.PATH;
    process.env.PATH = empty;
    try {
      await expect(openClone(empty)).rejects.toThrow("git is not installed (no `git` on PATH)");
      await expect(gitOutput(empty, ["--version"])).rejects.toThrow(/git is not installed/);
    } finally {
      process.env.PATH = before;
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
