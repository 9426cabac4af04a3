import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import type { FakeCommit, FakeRepository, FakeTag, GitIdentity } from "./model";
import { iso } from "./model";

/**
 * A fake GitHub repository holding exactly what a real git repository holds: every commit of every branch and tag
 * (real oids, parents, author and committer times, changed files), its branches and its tags (annotated ones with
 * their tagger). The same history can then be read by the local git ingest and by the GitHub sync, and both must
 * give the same figures. Pull requests, deployments and issues are added by the test (with the real oids).
 */
export function fakeRepositoryFromGit(dir: string, fullName: string, defaultBranch = "main"): FakeRepository {
  const git = (args: string[]) =>
    execFileSync("git", args, { cwd: dir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const [owner = "", name = ""] = fullName.split("/");

  const files = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of git([
    "log",
    "--all",
    "--diff-merges=first-parent",
    "--name-only",
    "--format=%x1e%H",
  ]).split("\n")) {
    if (line.startsWith("\u001e")) {
      current = [];
      files.set(line.slice(1), current);
    } else if (line.trim() && current) current.push(line.trim());
  }

  const commits: FakeCommit[] = git([
    "log",
    "--all",
    "--topo-order",
    "--reverse",
    "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e",
  ])
    .split("\u001e")
    .map((r) => r.replace(/^\n/, ""))
    .filter((r) => r.trim())
    .map((record) => {
      const [oid = "", parents = "", an = "", ae = "", at = "", cn = "", ce = "", ct = "", message = ""] =
        record.split("\u0000");
      return {
        oid,
        parents: parents.split(" ").filter(Boolean),
        authoredDate: iso(at),
        committedDate: iso(ct),
        author: person(an, ae),
        committer: person(cn, ce),
        message: message.trim(),
        files: files.get(oid) ?? [],
      };
    });

  const branches: Record<string, string> = {};
  for (const line of git(["for-each-ref", "--format=%(refname:strip=2)%00%(objectname)", "refs/heads"]).split(
    "\n",
  )) {
    const [branch, oid] = line.split("\u0000");
    if (branch && oid) branches[branch] = oid;
  }

  const tags: FakeTag[] = [];
  const format = [
    "%(refname:strip=2)",
    "%(objecttype)",
    "%(objectname)",
    "%(*objectname)",
    "%(taggername)",
    "%(taggeremail:trim)",
    "%(taggerdate:iso-strict)",
    "%(contents:subject)",
  ].join("%00");
  for (const line of git(["for-each-ref", `--format=${format}`, "refs/tags"]).split("\n")) {
    const [tag = "", type, object = "", peeled = "", tagger = "", email = "", date = "", subject = ""] =
      line.split("\u0000");
    if (!tag) continue;
    if (type === "tag")
      tags.push({
        name: tag,
        target: peeled,
        annotated: { oid: object, message: subject, tagger: { name: tagger, email, date: iso(date) } },
      });
    else tags.push({ name: tag, target: object });
  }

  return {
    owner,
    name,
    databaseId:
      300_000 + (Number.parseInt(createHash("sha1").update(fullName).digest("hex").slice(0, 6), 16) % 99_000),
    defaultBranch,
    archived: false,
    createdAt: commits[0]?.authoredDate ?? iso(Date.now()),
    branches,
    commits,
    pullRequests: [],
    deployments: [],
    workflowRuns: [],
    releases: [],
    tags,
    issues: [],
  };
}

/** A git identity as GitHub maps it: the e-mail's local part stands for the account (tests use example.com). */
function person(name: string, email: string): GitIdentity {
  const local = email.split("@")[0] ?? "";
  return { name, email, login: email.endsWith("@example.com") ? local : null };
}
