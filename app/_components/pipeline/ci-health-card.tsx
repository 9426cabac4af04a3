import { formatCount, formatDuration, formatPercent } from "@/lib/format";
import type { CiHealth } from "@/lib/pipeline/ci-health";

/** CI health from the builds of the slice's repositories (docs/metrics.md § CI health). */
export function CiHealthCard({ ci, previous }: { ci: CiHealth; previous: CiHealth }) {
  const d = ci.defaultBranch;
  if (ci.runs === 0) {
    return (
      <section className="card card-pad" aria-labelledby="ci-title" data-testid="ci-health">
        <h2 id="ci-title">CI health</h2>
        <p className="muted">
          No CI runs started in this period. GitHub Actions runs arrive with the GitHub sync and webhooks,
          Jenkins builds with the Jenkins connector.
        </p>
      </section>
    );
  }
  const facts: [string, string, string][] = [
    [
      "Success on the default branch",
      formatPercent(d.successRate),
      `${d.passed} of ${d.decided} runs that decided; previous period ${formatPercent(previous.defaultBranch.successRate)}`,
    ],
    [
      "Run time (median / p90)",
      `${formatDuration(d.duration.p50)} / ${formatDuration(d.duration.p90)}`,
      "default branch",
    ],
    [
      "Queue time (median / p90)",
      `${formatDuration(ci.queue.p50)} / ${formatDuration(ci.queue.p90)}`,
      ci.queue.withoutQueueTime
        ? `${ci.queue.withoutQueueTime} runs do not say when they were queued`
        : "every branch",
    ],
    [
      "Flaky commits",
      String(ci.flaky.shas),
      `failed, then passed on the same commit (${formatPercent(ci.flaky.share)} of ${ci.flaky.ofPassed}); ${formatCount(ci.reruns, "re-run")}`,
    ],
    [
      "Default branch red",
      formatDuration(d.redSeconds),
      `${formatPercent(d.redShare)} of the time; longest stretch ${formatDuration(d.longestRedSeconds)}`,
    ],
  ];
  return (
    <section className="card card-pad" aria-labelledby="ci-title" data-testid="ci-health">
      <h2 id="ci-title">CI health</h2>
      <p className="small muted" style={{ marginTop: 0 }}>
        {formatCount(ci.runs, "run")} started in the period: {d.cancelled} cancelled and {d.other} skipped on
        the default branch (in no rate), {formatCount(ci.otherBranches.runs, "run")} on other branches
        (success {formatPercent(ci.otherBranches.successRate)}, not in the figures below).
      </p>
      <dl className="ci-facts">
        {facts.map(([label, value, note]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <b>{value}</b>
              <span className="small muted">{note}</span>
            </dd>
          </div>
        ))}
      </dl>
      {ci.slowest.length ? (
        <div className="table-wrap">
          <table>
            <caption className="small muted" style={{ textAlign: "left" }}>
              Slowest workflows and jobs on the default branch
            </caption>
            <thead>
              <tr>
                <th scope="col">Workflow or job</th>
                <th scope="col" className="num">
                  Runs
                </th>
                <th scope="col" className="num">
                  Median · p90
                </th>
                <th scope="col" className="num">
                  Success
                </th>
              </tr>
            </thead>
            <tbody>
              {ci.slowest.map((w) => (
                <tr key={`${w.repository}/${w.stage ?? ""}/${w.workflow}`}>
                  <td>
                    <span className="mono small">{w.repository}</span> ·{" "}
                    {w.stage ? `${w.stage} · ${w.workflow}` : w.workflow}
                  </td>
                  <td className="num">{w.runs}</td>
                  <td className="num nowrap">
                    {formatDuration(w.duration.p50)} · {formatDuration(w.duration.p90)}
                  </td>
                  <td className="num">{formatPercent(w.successRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
