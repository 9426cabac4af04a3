import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { publicOrigin, requireRole } from "@/lib/auth/current";
import { BLOCK_LABELS, groupByBlock } from "@/lib/calms/bank";
import { listLinkMails } from "@/lib/calms/mail";
import { getRoundRow, orgToday, roundItems, roundStatus, roundTeams } from "@/lib/calms/rounds";
import { getDb } from "@/lib/db";
import { formatInstant, formatLocalDate, formatPercent } from "@/lib/format";
import { parseId } from "@/lib/validation/input";
import { RoundStatusChip } from "../../../calms/_components/round-status";
import { ConfirmSubmit } from "../_forms/confirm";
import { LocalLinksWarning } from "../_forms/local-links";
import { MailSection } from "../_forms/mail-section";
import { RenewLink, RespondentLinks, ThresholdForm } from "../_forms/round-controls";
import { closeRoundAction } from "../actions";

type Props = { params: Promise<{ round: string }>; searchParams: Promise<{ closed?: string }> };

export const metadata: Metadata = { title: "CALMS round" };

export default async function RoundSettingsPage({ params, searchParams }: Props) {
  await requireRole("admin");
  const [{ round: raw }, sp] = await Promise.all([params, searchParams]);
  // An id of the integer column, or none: /settings/survey/3000000000 reached PostgreSQL as a 500 (ADR 0015).
  const id = parseId(raw);
  const db = await getDb();
  const round = id === null ? null : await getRoundRow(db, id);
  if (!round || id === null) notFound();
  const [teams, items, today, origin] = await Promise.all([
    roundTeams(db, id),
    roundItems(db, id),
    orgToday(db),
    publicOrigin(),
  ]);
  const status = roundStatus(round, today);
  const mailTeams = status === "closed" ? [] : teams.filter((t) => t.linkMode === "respondent");
  const mails = mailTeams.length ? await listLinkMailsSafe(id) : { rows: [], problem: null };
  return (
    <div className="grid" style={{ gap: 16 }}>
      {sp.closed ? (
        <div className="alert alert-ok" role="status">
          The round is closed: links no longer accept answers. Results stay available.
        </div>
      ) : null}
      {status === "closed" ? null : <LocalLinksWarning origin={origin} />}
      <section className="card card-pad" aria-labelledby="round-title">
        <div className="crumbs">
          <Link href="/settings/survey">Survey</Link> / Round
        </div>
        <div className="section-head">
          <div>
            <h2 id="round-title">{round.title}</h2>
            <p>
              {formatLocalDate(round.opensOn)} – {formatLocalDate(round.closesOn)} · {items.length} statements
              · question bank {round.bankVersion}
            </p>
          </div>
          <RoundStatusChip status={status} />
        </div>
        <div className="table-wrap">
          <table data-testid="round-teams">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col" className="num">
                  Answers
                </th>
                <th scope="col" className="num">
                  Response rate
                </th>
                <th scope="col">Link</th>
                <th scope="col">Results</th>
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.teamId}>
                  <td>{t.name}</td>
                  <td className="num">{t.n}</td>
                  <td className="num">{t.teamSize ? formatPercent(t.n / t.teamSize, 0) : "–"}</td>
                  <td>
                    {status === "closed" ? (
                      <span className="small muted">closed</span>
                    ) : t.linkMode === "respondent" ? (
                      <div className="calms-link-cell">
                        <span className="small muted" data-testid="links-issued">
                          {t.linksIssued} single-use {t.linksIssued === 1 ? "link" : "links"} created
                        </span>
                        <RespondentLinks roundId={id} teamId={t.teamId} team={t.name} />
                      </div>
                    ) : (
                      <div className="calms-link-cell">
                        <span className="small muted">
                          shared team link (lower assurance), created {formatInstant(t.linkCreatedAt, "UTC")}{" "}
                          UTC
                        </span>
                        <RenewLink roundId={id} teamId={t.teamId} team={t.name} />
                      </div>
                    )}
                  </td>
                  <td>
                    <Link href={`/calms/${id}/${t.slug}`}>View</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="small muted" style={{ marginBottom: 0 }}>
          Links are stored only as hashes and cannot be shown again. Single-use links answer once each, and
          the threshold counts the links that answered; lost one? Create another (unused links stay valid
          until the round closes). A shared team link can be renewed: the old one stops working, and answers
          already given stay.
        </p>
      </section>

      {mailTeams.length ? (
        <MailSection
          roundId={id}
          teams={mailTeams.map((t) => ({ teamId: t.teamId, roundTeamId: t.roundTeamId, name: t.name }))}
          rows={mails.rows}
          problem={mails.problem}
          smtpConfigured={Boolean(process.env.SMTP_URL?.trim())}
        />
      ) : null}

      <div className="grid grid-2" style={{ alignItems: "start" }}>
        <section className="card card-pad" aria-labelledby="threshold-title">
          <h2 id="threshold-title" style={{ marginBottom: 12 }}>
            Anonymity threshold
          </h2>
          <ThresholdForm roundId={id} value={round.minGroupSize} />
        </section>
        <section className="card card-pad" aria-labelledby="close-title">
          <h2 id="close-title" style={{ marginBottom: 8 }}>
            Close the round
          </h2>
          {status === "closed" ? (
            <p className="small muted">
              Closed
              {round.closedAt
                ? ` on ${formatInstant(round.closedAt, "UTC")} UTC`
                : ` after ${formatLocalDate(round.closesOn)}`}
              .
            </p>
          ) : (
            <form action={closeRoundAction.bind(null, id)}>
              <p className="small">Stops accepting answers now, before the closing date.</p>
              <ConfirmSubmit label="Close round now" confirm="Yes, close the round" danger>
                Nobody can answer after this, through any link, and mailed addresses are forgotten. This
                cannot be undone.
              </ConfirmSubmit>
            </form>
          )}
        </section>
      </div>

      <section className="card card-pad" aria-labelledby="items-title">
        <h2 id="items-title" style={{ marginBottom: 8 }}>
          Statements
        </h2>
        {groupByBlock(items).map((g) => (
          <div key={g.block}>
            <h3 style={{ margin: "12px 0 4px" }}>{BLOCK_LABELS[g.block]}</h3>
            <ul className="small" style={{ margin: 0 }}>
              {g.items.map((i) => (
                <li key={i.key}>
                  <span className="mono muted">{i.key}</span> {i.text}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
    </div>
  );
}

/** The mailed addresses, or why they cannot be read (no THROUGHLINE_SECRET_KEY on PostgreSQL): the page still shows. */
async function listLinkMailsSafe(roundId: number) {
  try {
    return { rows: await listLinkMails(await getDb(), roundId), problem: null };
  } catch (error) {
    return { rows: [], problem: (error as Error).message };
  }
}
