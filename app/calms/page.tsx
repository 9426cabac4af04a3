import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/current";
import { roundResults } from "@/lib/calms/results";
import { listRounds } from "@/lib/calms/rounds";
import { TEAM_LINK_NOTE } from "@/lib/calms/suppression";
import { getDb } from "@/lib/db";
import { formatLocalDate } from "@/lib/format";
import { Heatmap } from "./_components/heatmap";
import { Reliability } from "./_components/reliability";
import { RoundStatusChip } from "./_components/round-status";

export const metadata: Metadata = { title: "CALMS" };

type Props = { searchParams: Promise<{ round?: string }> };

export default async function CalmsPage({ searchParams }: Props) {
  const isAdmin = (await requireRole("viewer")).role === "admin";
  const db = await getDb();
  const [rounds, sp] = await Promise.all([listRounds(db), searchParams]);
  if (rounds.length === 0) {
    return (
      <div className="card empty-state">
        <h1 style={{ marginBottom: 8 }}>CALMS self-assessment</h1>
        <p>
          No rounds yet. A round asks teams how they work (Culture, Automation, Lean, Measurement, Sharing)
          through an anonymous link per team, and shows the answers beside what the data measures.
        </p>
        {isAdmin ? (
          <p>
            <Link className="btn btn-primary" href="/settings/survey/new">
              Run a round
            </Link>
          </p>
        ) : null}
      </div>
    );
  }
  const chosen = rounds.find((r) => String(r.id) === sp.round) ?? rounds[0];
  const results = chosen ? await roundResults(db, chosen.id) : null;
  if (!chosen || !results) return null;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>CALMS self-assessment</h1>
          <p>
            {chosen.title} · {formatLocalDate(chosen.opensOn)} – {formatLocalDate(chosen.closesOn)} ·{" "}
            {results.org.n} answers from {chosen.teams.length} {chosen.teams.length === 1 ? "team" : "teams"}{" "}
            · <RoundStatusChip status={chosen.status} />
          </p>
        </div>
        <div className="filters no-print">
          <form method="get" className="filters" action="/calms">
            <label className="field" htmlFor="round">
              Round
              <select id="round" name="round" defaultValue={String(chosen.id)}>
                {rounds.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.title} ({formatLocalDate(r.closesOn)})
                  </option>
                ))}
              </select>
            </label>
            <button className="btn" type="submit">
              Show
            </button>
          </form>
          <a className="btn" href={`/api/v1/calms/rounds/${chosen.id}`}>
            Export JSON
          </a>
        </div>
      </div>

      <section className="card" aria-labelledby="heatmap-title">
        <div className="card-pad section-head" style={{ marginBottom: 0, paddingBottom: 6 }}>
          <div>
            <h2 id="heatmap-title">Teams × dimensions</h2>
            <p>
              Scores 0–10 (mean of each person&apos;s answers; hover for the interval). Teams are listed
              alphabetically: read a column within a team and a row across the organisation. There is no
              overall CALMS index and no ranking: a self-assessment compares a team with itself over time.
            </p>
          </div>
        </div>
        <Heatmap results={results} />
        {results.teams.some((t) => t.linkMode === "team") ? (
          <p className="card-pad small muted" role="note" data-testid="team-link-note">
            Shared team link:{" "}
            {results.teams
              .filter((t) => t.linkMode === "team")
              .map((t) => t.name)
              .join(", ")}
            . {TEAM_LINK_NOTE}
          </p>
        ) : null}
      </section>

      <div className="section">
        <Reliability results={results} />
      </div>

      <section className="section card" aria-labelledby="rounds-title">
        <div className="card-pad section-head" style={{ marginBottom: 0, paddingBottom: 6 }}>
          <div>
            <h2 id="rounds-title">Rounds</h2>
            {isAdmin ? (
              <p>
                Run and manage rounds in <Link href="/settings/survey">Settings → Survey</Link>.
              </p>
            ) : null}
          </div>
        </div>
        <div className="table-wrap">
          <table>
            <tbody>
              {rounds.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/calms?round=${r.id}`}>{r.title}</Link>
                  </td>
                  <td className="nowrap">
                    {formatLocalDate(r.opensOn)} – {formatLocalDate(r.closesOn)}
                  </td>
                  <td>
                    <RoundStatusChip status={r.status} />
                  </td>
                  <td className="num">{r.teams.reduce((n, t) => n + t.n, 0)} answers</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
