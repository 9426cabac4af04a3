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
