import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/lib/auth/current";
import { formatScore, toLikertRows, toRadarPoints } from "@/lib/calms/mappers";
import { HIDDEN_MESSAGES, TEAM_LINK_NOTE } from "@/lib/calms/suppression";
import { teamResults } from "@/lib/calms/team";
import { getDb } from "@/lib/db";
import { formatLocalDate, formatPercent } from "@/lib/format";
import { parseId } from "@/lib/validation/input";
import { ChartCard } from "../../../_components/chart-card";
import { LikertChart } from "../../_components/likert";
import { CalmsRadar } from "../../_components/radar-chart";
import { RoundStatusChip } from "../../_components/round-status";
import { SayDo } from "../../_components/say-do";
import { ScoreCards } from "../../_components/score-cards";
import { Trends } from "../../_components/trends";

type Props = { params: Promise<{ round: string; team: string }> };

export const metadata: Metadata = { title: "CALMS team results" };

export default async function TeamCalmsPage({ params }: Props) {
  await requireRole("viewer");
  const { round, team: slug } = await params;
  const id = parseId(round);
  const r = id !== null ? await teamResults(await getDb(), id, slug) : null;
  if (!r) notFound();
  const { team } = r;
  const radar = team.blocks ? toRadarPoints(team.blocks, r.org.blocks) : [];
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href={`/calms?round=${r.round.id}`}>CALMS</Link> / {r.round.title}
          </div>
          <h1>{team.name}</h1>
          <p>
            {r.round.title} · {formatLocalDate(r.round.opensOn)} – {formatLocalDate(r.round.closesOn)}
          </p>
        </div>
        <div className="filters no-print">
          <RoundStatusChip status={r.round.status} />
          <a className="btn" href={`/api/v1/calms/rounds/${r.round.id}/teams/${team.slug}`}>
            Export JSON
          </a>
        </div>
      </div>

      <dl className="facts card card-pad" data-testid="calms-facts">
        <div>
          <dt>Answers</dt>
          <dd data-testid="answers">
            {team.n}
            {team.teamSize ? ` of ${team.teamSize} members` : ""}
          </dd>
        </div>
        <div>
          <dt>Response rate</dt>
          <dd>
            {team.responseRate === null ? "unknown (no members listed)" : formatPercent(team.responseRate, 0)}
            {team.responseRate !== null && team.responseRate > 1 ? " (more answers than members listed)" : ""}
          </dd>
        </div>
        <div>
          <dt>Results shown from</dt>
          <dd>{r.threshold} answers</dd>
        </div>
        <div>
          <dt>Comments shown from</dt>
          <dd>{r.comments.threshold} answers</dd>
        </div>
      </dl>

      {team.linkMode === "team" ? (
        <div className="section alert" role="note" data-testid="team-link-note">
          {TEAM_LINK_NOTE}
        </div>
      ) : null}

      {!team.visible ? (
        <div className="section card card-pad calms-hidden" role="status" data-testid="results-hidden">
          <h2>Results are hidden</h2>
          <p className="calms-hidden-text">
            {HIDDEN_MESSAGES[team.hidden ?? "below_threshold"](team.n, r.threshold)}
          </p>
          <p className="small muted calms-hidden-text">
            Hidden on every page, in the API and in exports alike. The measured data below is not survey data
            and is always shown.
          </p>
        </div>
      ) : (
        <>
          <div className="section">
            <ScoreCards blocks={team.blocks ?? []} org={r.org.blocks} threshold={r.threshold} />
          </div>
          <div className="section grid grid-2" style={{ alignItems: "start" }}>
            <ChartCard
              id="calms-radar"
              title="The five dimensions"
              subtitle={`This team (solid) against the whole round (dashed, ${r.org.n} answers).${
                radar.length < (team.blocks ?? []).filter((b) => b.block !== "westrum").length
                  ? " Withheld dimensions are left out."
                  : ""
              }`}
              legend={[
                { label: "This team", color: "var(--series-1)" },
                { label: "Organisation", color: "var(--text-3)" },
              ]}
              columns={["Dimension", "This team", "Organisation"]}
              rows={radar.map((p) => [p.dimension, formatScore(p.team), formatScore(p.org)])}
            >
              <CalmsRadar data={radar} />
            </ChartCard>
            <div className="grid">
              <section className="card card-pad" aria-labelledby="comments-title" data-testid="comments">
                <h2 id="comments-title" style={{ marginBottom: 8 }}>
                  Comments
                </h2>
                {r.comments.visible ? (
                  r.comments.items?.length ? (
                    <ul className="calms-comments">
                      {r.comments.items.map((c) => (
                        <li key={c}>{c}</li>
                      ))}
                    </ul>
                  ) : (
                    <p className="small muted">No comments.</p>
                  )
                ) : (
                  <p className="small muted">
                    Comments are shown once {r.comments.threshold} people have answered ({team.n} so far):
                    with fewer, the wording of a comment could point to its author.
                  </p>
                )}
              </section>
              <section className="card card-pad" aria-labelledby="reading-title">
                <h2 id="reading-title" style={{ marginBottom: 8 }}>
                  Reading these results
                </h2>
                <ul className="small calms-reading">
                  <li>
                    A score is the mean of each person&apos;s answers to a dimension, on 0–10 (Never 0, Rarely
                    2.5, About half the time 5, Usually 7.5, Always 10). The ± interval is how far it could
                    move by chance with {team.n} answers.
                  </li>
                  <li>
                    Compare the team with its own earlier rounds (below), not with other teams: teams read the
                    statements against their own context.
                  </li>
                  <li>
                    Where the answers and the data differ, “Say vs do” asks a question. Talk about it as a
                    team: the data can be incomplete too.
                  </li>
                </ul>
              </section>
            </div>
          </div>
        </>
      )}

      <div className="section">
        <SayDo rows={r.sayDo} window={r.signalWindow} hidden={!team.visible} />
      </div>

      {team.visible && r.distributions ? (
        <div className="section">
          <LikertChart id="calms-items" rows={toLikertRows(r.distributions)} />
        </div>
      ) : null}

      {team.visible ? (
        <div className="section">
          <Trends trends={r.trend} />
        </div>
      ) : null}
    </>
  );
}
