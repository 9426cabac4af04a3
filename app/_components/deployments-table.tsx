import Link from "next/link";
import type { DeploymentRow } from "@/lib/deployments";
import { formatDuration, formatInstant, shortSha } from "@/lib/format";

const REASON: Record<string, string> = {
  rollback: "rolled back",
  incident: "incident",
  revert: "reverted",
  fix_deployment: "fixed by a later deploy",
  corrected: "marked by hand",
  hotfix: "hotfix",
  incident_fix: "restored an incident",
};

export function OutcomeChips({
  row,
}: {
  row: Pick<
    DeploymentRow,
    | "status"
    | "kind"
    | "isCounted"
    | "isFailed"
    | "failureReasons"
    | "isRework"
    | "reworkReasons"
    | "attribution"
    | "isCorrected"
    | "isExcluded"
  >;
}) {
  const chips: { label: string; cls: string; title?: string }[] = [];
  if (row.status !== "success")
    chips.push({ label: row.status.replace("_", " "), cls: "chip", title: "Did not go live: not counted" });
  if (row.kind !== "normal")
    chips.push({ label: row.kind, cls: row.kind === "redeploy" ? "chip" : "chip chip-rework" });
  if (row.isFailed) {
    chips.push({
      label: `failed: ${row.failureReasons.map((r) => REASON[r] ?? r).join(", ")}`,
      cls: "chip chip-fail",
    });
  }
  if (row.isRework && row.kind === "normal") {
    chips.push({
      label: `rework: ${row.reworkReasons.map((r) => REASON[r] ?? r).join(", ")}`,
      cls: "chip chip-rework",
    });
  }
  if (row.isExcluded)
    chips.push({
      label: "excluded by hand",
      cls: "chip",
      title: "A correction leaves it out of every metric",
    });
  else if (row.isCorrected)
    chips.push({
      label: row.isFailed ? "corrected" : "corrected: not failed",
      cls: "chip chip-info",
      title: "Its outcome was set by a correction (see the deployment)",
    });
  if (row.attribution === "baseline")
    chips.push({
      label: "first seen",
      cls: "chip chip-info",
      title: "First deployment of its chain: what it shipped is unknown",
    });
  if (row.attribution === "unknown_sha")
    chips.push({
      label: "unknown commit",
      cls: "chip",
      title: "The deployed SHA is not in the commit history",
    });
  if (chips.length === 0) chips.push({ label: "ok", cls: "chip chip-ok" });
  return (
    <span style={{ display: "inline-flex", gap: 4, flexWrap: "wrap" }}>
      {chips.map((c) => (
        <span key={c.label} className={c.cls} title={c.title}>
          {c.label}
        </span>
      ))}
    </span>
  );
}

/** Deployments with what each shipped and how it ended; every row links to its detail. */
export function DeploymentsTable({
  rows,
  zone,
  caption,
}: {
  rows: DeploymentRow[];
  zone: string;
  caption?: string;
}) {
  if (rows.length === 0) {
    return (
      <p className="muted small" style={{ padding: "12px 0" }}>
        No deployments match.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col">Live since</th>
            <th scope="col">Repository · service</th>
            <th scope="col">Environment</th>
            <th scope="col">Commit</th>
            <th scope="col" className="num">
              Changes
            </th>
            <th scope="col" className="num">
              Lead time
            </th>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">
              Recovered in
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="nowrap">
                <Link href={`/deployments/${r.id}`}>{formatInstant(r.finishedAt ?? r.createdAt, zone)}</Link>
              </td>
              <td>
                {r.repository}
                {r.serviceIsDefault ? null : <span className="muted"> · {r.service}</span>}
              </td>
              <td>{r.environment}</td>
              <td>
                <code>{shortSha(r.sha)}</code>
              </td>
              <td className="num">{r.changeCount}</td>
              <td className="num">{formatDuration(r.leadTimeMedian)}</td>
              <td>
                <OutcomeChips row={r} />
              </td>
              <td className="num">
                {r.isFailed ? (r.recoverySeconds === null ? "open" : formatDuration(r.recoverySeconds)) : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
