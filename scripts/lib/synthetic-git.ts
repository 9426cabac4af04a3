import { spawn } from "node:child_process";
import { once } from "node:events";

/**
 * A synthetic history of `commits` commits written with `git fast-import` (a 100,000-commit repository in seconds):
 * a main line with a merged topic branch every `mergeEvery` commits (merge commits with two parents), a bot author
 * now and then, and a release tag every `tagEvery` commits, alternately annotated (tagged an hour after the
 * commit) and lightweight. Times start 2020-01-01 and advance ten minutes a commit. For benchmarks only.
 */
export interface SyntheticHistory {
  commits: number;
  merges: number;
  tags: number;
}

const PEOPLE = Array.from({ length: 20 }, (_, i) => `Developer ${i} <dev${i}@example.com>`);
const BOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>";
const START = Date.UTC(2020, 0, 1) / 1000;

export async function writeSyntheticHistory(
  bareRepo: string,
  options: { commits: number; mergeEvery?: number; tagEvery?: number },
): Promise<SyntheticHistory> {
  const git = spawn("git", ["fast-import", "--quiet", "--done"], {
    cwd: bareRepo,
    stdio: ["pipe", "inherit", "inherit"],
  });
  const exited = once(git, "close");
  const out = { commits: 0, merges: 0, tags: 0 };
  const mergeEvery = options.mergeEvery ?? 50;
  const tagEvery = options.tagEvery ?? 300;
  let mark = 0;
  let mainTip = 0;
  let buffer = "";
  const flush = async (force = false) => {
    if (buffer.length < 1 << 20 && !force) return;
    if (!git.stdin.write(buffer)) await once(git.stdin, "drain");
    buffer = "";
  };
  const commit = (ref: string, from: number, merge: number | null, n: number) => {
    const at = START + n * 600;
    const who = n % 25 === 24 ? BOT : (PEOPLE[n % PEOPLE.length] as string);
    const message = n % 25 === 24 ? `Bump dependency ${n}` : `Change ${n}: update the service`;
    mark += 1;
    buffer +=
      `commit ${ref}\nmark :${mark}\nauthor ${who} ${at - 3_600} +0000\ncommitter ${who} ${at} +0000\n` +
      `data ${Buffer.byteLength(message)}\n${message}\n` +
      (from ? `from :${from}\n` : "") +
      (merge ? `merge :${merge}\n` : "") +
      `M 644 inline file-${n % 100}.txt\ndata ${String(n).length + 1}\n${n}\n\n`;
    out.commits += 1;
    return mark;
  };
  for (let n = 0; out.commits < options.commits; n++) {
    if (mergeEvery && n % mergeEvery === mergeEvery - 1 && mainTip && out.commits + 2 <= options.commits) {
      const topic = commit("refs/heads/topic", mainTip, null, n);
      n += 1;
      mainTip = commit("refs/heads/main", mainTip, topic, n);
      out.merges += 1;
    } else {
      mainTip = commit("refs/heads/main", mainTip, null, n);
    }
    if (tagEvery && n % tagEvery === 0) {
      out.tags += 1;
      const name = `v1.${n / tagEvery}`;
      buffer +=
        out.tags % 2
          ? `tag ${name}\nfrom :${mainTip}\ntagger Release Bot <release@example.com> ${START + n * 600 + 3_600} +0000\ndata 8\nrelease\n\n`
          : `reset refs/tags/${name}\nfrom :${mainTip}\n\n`;
    }
    await flush();
  }
  buffer += "done\n";
  await flush(true);
  git.stdin.end();
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`git fast-import failed (exit ${code})`);
  return out;
}

/**
 * A library's history with release lines, written with `git fast-import` (for the release-line test and
 * benchmark): a main line with a release `1.N.0` every `releaseEvery` commits, each release opening a maintenance
 * branch; every `backportEvery` main commits a fix is backported to the newest maintenance branch (a commit of its
 * own) and merged forward into main at once, and its patch release `1.N.P` is tagged on the maintenance branch only
 * after the next main release, as projects publish "2.1.0 and 1.1.1" together. The old time-ordered rule took every
 * such patch release for a rollback of the main release (its commit is an ancestor of it). Times start 2020-01-01
 * and advance ten minutes a commit; every tag is annotated: a main release an hour after its commit, its patch
 * releases an hour later.
 */
export interface LinesHistory {
  commits: number;
  mainReleases: number;
  patchReleases: number;
}

export async function writeLinesHistory(
  bareRepo: string,
  options: { commits: number; releaseEvery?: number; backportEvery?: number },
): Promise<LinesHistory> {
  const git = spawn("git", ["fast-import", "--quiet", "--done"], {
    cwd: bareRepo,
    stdio: ["pipe", "inherit", "inherit"],
  });
  const exited = once(git, "close");
  const releaseEvery = options.releaseEvery ?? 100;
  const backportEvery = options.backportEvery ?? 20;
  const out: LinesHistory = { commits: 0, mainReleases: 0, patchReleases: 0 };
  let buffer = "";
  let mark = 0;
  let main = 0;
  let maint: { ref: string; tip: number; minor: number; patch: number } | null = null;
  const deferred: { name: string; mark: number }[] = [];
  const at = () => START + out.commits * 600;
  const commit = (ref: string, parents: number[], message: string) => {
    const who = PEOPLE[out.commits % PEOPLE.length] as string;
    const t = at();
    mark += 1;
    buffer +=
      `commit ${ref}\nmark :${mark}\nauthor ${who} ${t - 1_800} +0000\ncommitter ${who} ${t} +0000\n` +
      `data ${Buffer.byteLength(message)}\n${message}\n` +
      parents.map((p, i) => `${i === 0 ? "from" : "merge"} :${p}\n`).join("") +
      `M 644 inline ${ref.replace(/\W/g, "-")}-${out.commits % 50}.txt\ndata ${String(mark).length + 1}\n${mark}\n\n`;
    out.commits += 1;
    return mark;
  };
  const tag = (name: string, target: number, delay = 3_600) => {
    buffer += `tag ${name}\nfrom :${target}\ntagger Release Bot <release@example.com> ${at() + delay} +0000\ndata 8\nrelease\n\n`;
  };
  for (let n = 1; out.commits < options.commits; n++) {
    main = commit("refs/heads/main", main ? [main] : [], `Change ${n}`);
    if (n % releaseEvery === 0) {
      out.mainReleases += 1;
      tag(`1.${out.mainReleases}.0`, main);
      for (const d of deferred.splice(0)) tag(d.name, d.mark, 7_200);
      maint = { ref: `refs/heads/1.${out.mainReleases}.x`, tip: main, minor: out.mainReleases, patch: 0 };
    } else if (maint && n % backportEvery === 0 && out.commits + 2 <= options.commits) {
      maint.tip = commit(maint.ref, [maint.tip], `Backport fix ${n}`);
      maint.patch += 1;
      out.patchReleases += 1;
      deferred.push({ name: `1.${maint.minor}.${maint.patch}`, mark: maint.tip });
      main = commit("refs/heads/main", [main, maint.tip], `Merge branch '1.${maint.minor}.x'`);
    }
    if (buffer.length > 1 << 20) {
      if (!git.stdin.write(buffer)) await once(git.stdin, "drain");
      buffer = "";
    }
  }
  for (const d of deferred.splice(0)) tag(d.name, d.mark);
  buffer += "done\n";
  git.stdin.end(buffer);
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`git fast-import failed (exit ${code})`);
  return out;
}
