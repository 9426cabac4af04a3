import { execFileSync } from "node:child_process";
import type { FakeCommit } from "./model";

/**
 * A branch of a real git repository as GitLab's commits API lists it: every commit reachable from the branch,
 * newest first (topological), with its real id, parents, author and committer times. The same history can then be
 * read by the local git ingest and by the GitLab sync, and both must give the same figures.
 */
export function commitsFromGit(dir: string, branch = "main"): FakeCommit[] {
  const out = execFileSync(
    "git",
    ["log", "--topo-order", "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%s%x1e", branch],
    {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return out
    .split("\u001e")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      const [id, parents, name, email, authored, committed, title] = r.split("\u0000") as string[];
      return {
        id: id as string,
        parent_ids: (parents ?? "").split(" ").filter(Boolean),
        title: title ?? "",
        author_name: name ?? "",
        author_email: email ?? "",
        authored_date: authored as string,
        committed_date: committed as string,
      };
    });
}
