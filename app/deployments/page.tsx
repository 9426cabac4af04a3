import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/current";
import { listEnvironments, listRepositories, repoOptions } from "@/lib/catalog";
import { getDb } from "@/lib/db";
import { formatCursor, listDeployments, type OutcomeFilter, parseCursor } from "@/lib/deployments";
import { formatLocalDate } from "@/lib/format";
import { resolveScope, type Scope, SliceError } from "@/lib/metrics/scope";
import { getOrgSettings } from "@/lib/settings/org";
import { listTeams } from "@/lib/teams";
import { parseFilters, periodOf, type SearchParams, withFilters } from "@/lib/web/filters";
import { DeploymentsTable } from "../_components/deployments-table";
import { FilterBar } from "../_components/filter-bar";
import { SubmitOnChange } from "../_components/submit-on-change";

export const metadata: Metadata = { title: "Deployments" };

const PAGE = 50;
const OUTCOMES: { value: OutcomeFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "counted", label: "Counted" },
  { value: "failed", label: "Failed" },
  { value: "rework", label: "Rework" },
  { value: "recovered", label: "Recovered failures" },
  { value: "corrected", label: "Corrected by hand" },
];

export default async function DeploymentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRole("viewer");
  const sp = await searchParams;
  const db = await getDb();
  const settings = await getOrgSettings(db);
  const { filters, problems } = parseFilters(sp);
  const period = periodOf(filters, settings.timeZone);
  const team = typeof sp.team === "string" && sp.team ? sp.team : null;
  const outcome = (OUTCOMES.find((o) => o.value === sp.outcome)?.value ?? "all") as OutcomeFilter;
  // Keyset paging (lib/deployments): ?after= the next older page, ?before= the newer one.
  const after = typeof sp.after === "string" ? parseCursor(sp.after) : null;
  const before = typeof sp.before === "string" ? parseCursor(sp.before) : null;

  let scope: Scope;
  try {
    scope = await resolveScope(db, {
      team,
      repo: filters.repo,
      service: filters.service,
      environment: filters.env,
    });
  } catch (error) {
    if (!(error instanceof SliceError)) throw error;
    problems.push(`${error.message}: showing every deployment.`);
    scope = await resolveScope(db, {});
  }
  if ((typeof sp.after === "string" && !after) || (typeof sp.before === "string" && !before)) {
    problems.push("That page link is not one this list made: showing the newest deployments.");
  }
  const [environments, repos, teams, list] = await Promise.all([
    listEnvironments(db),
    listRepositories(db, scope.team ? { teamId: scope.team.id } : {}),
    listTeams(db),
    listDeployments(db, {
      scope,
      period,
      zone: settings.timeZone,
      outcome,
      limit: PAGE,
      after,
      before,
      countUpTo: 10_000,
    }),
  ]);
  const base = withFilters(filters);
  const link = (changes: Record<string, string | null>) => {
    const q = new URLSearchParams(base.slice(1));
    if (team) q.set("team", team);
    if (outcome !== "all") q.set("outcome", outcome);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) q.delete(k);
      else q.set(k, v);
    }
    const s = q.toString();
    return `/deployments${s ? `?${s}` : ""}`;
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Deployments</h1>
          <p>
            {scope.team ? `${scope.team.name} · ` : ""}
            {formatLocalDate(period.from)} – {formatLocalDate(period.to)} ·{" "}
            {scope.environment ?? "all production environments"}
            {list.matching
              ? ` · ${list.matching.capped ? "more than " : ""}${list.matching.count.toLocaleString("en-US")} ${
                  list.matching.count === 1 && !list.matching.capped ? "deployment" : "deployments"
                }`
              : ""}
          </p>
        </div>
      </div>
      <div style={{ display: "flex", gap: 16, alignItems: "flex-end", flexWrap: "wrap", marginBottom: 16 }}>
        <SubmitOnChange label="Team">
          <div className="field">
            <label htmlFor="filter-team">Team</label>
            <select id="filter-team" name="team" defaultValue={team ?? ""}>
              <option value="">All teams</option>
              {teams.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          {[
            ...new URLSearchParams(base.slice(1)).entries(),
            ...(outcome !== "all" ? [["outcome", outcome]] : []),
          ]
            .filter(([k]) => k !== "repo" && k !== "service")
            .map(([k, v]) => (
              <input key={k} type="hidden" name={k} value={v} />
            ))}
        </SubmitOnChange>
        <FilterBar
          filters={filters}
          environments={environments}
          repos={repoOptions(repos)}
          keep={{ ...(team ? { team } : {}), ...(outcome !== "all" ? { outcome } : {}) }}
        />
      </div>
      {problems.map((p) => (
        <div className="alert" role="alert" key={p}>
          {p}
        </div>
      ))}
      <nav className="tabs" aria-label="Outcome">
        {OUTCOMES.map((o) => (
          <Link
            key={o.value}
            href={link({ outcome: o.value === "all" ? null : o.value, after: null, before: null })}
            aria-current={o.value === outcome ? "page" : undefined}
          >
            {o.label}
          </Link>
        ))}
      </nav>
      <section className="card">
        <DeploymentsTable
          rows={list.rows}
          zone={settings.timeZone}
          caption={`Times in ${settings.timeZone}. "Counted" deployments are the ones deployment frequency, change failure rate and rework rate count.`}
        />
        {list.newer || list.older ? (
          <div className="pager">
            {list.newer ? (
              <>
                <Link className="btn btn-small" href={link({ after: null, before: null })}>
                  Newest
                </Link>
                <Link
                  className="btn btn-small"
                  href={link({ after: null, before: formatCursor(list.newer) })}
                >
                  ← Newer
                </Link>
              </>
            ) : null}
            <span className="small muted">
              {list.rows.length} deployments{list.older ? ", more older" : ""}
            </span>
            {list.older ? (
              <Link className="btn btn-small" href={link({ before: null, after: formatCursor(list.older) })}>
                Older →
              </Link>
            ) : null}
          </div>
        ) : null}
      </section>
    </>
  );
}
