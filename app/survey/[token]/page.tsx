import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { allowedValues, BLOCK_LABELS, DONT_KNOW, groupByBlock, SCALE_POINTS, STEMS } from "@/lib/calms/bank";
import { findByToken } from "@/lib/calms/rounds";
import { COMMENT_MIN, effectiveThreshold } from "@/lib/calms/suppression";
import { isLinkToken } from "@/lib/calms/tokens";
import { getDb } from "@/lib/db";
import { formatLocalDate } from "@/lib/format";
import { answeredCookie } from "./actions";
import { type FormBlock, SurveyForm } from "./survey-form";

export const metadata: Metadata = { title: "Team survey", robots: { index: false, follow: false } };

type Props = { params: Promise<{ token: string }>; searchParams: Promise<{ again?: string }> };

/**
 * The public CALMS form (no account): what a team link opens. Shows the round and the team's own name, never
 * anything about other teams or any result. The site navigation is hidden on this page (globals.css, CALMS).
 */
export default async function SurveyPage({ params, searchParams }: Props) {
  const [{ token }, sp] = await Promise.all([params, searchParams]);
  const target = isLinkToken(token) ? await findByToken(await getDb(), token) : null;
  if (!target) {
    return (
      <Shell title="This link does not work">
        <p>It may have been replaced by a newer link. Ask whoever sent it to you for the current one.</p>
      </Shell>
    );
  }
  const { round } = target;
  const dates = `${formatLocalDate(round.opensOn)} – ${formatLocalDate(round.closesOn)}`;
  if (target.status !== "open") {
    return (
      <Shell title={round.title} team={target.teamName}>
        <div className="alert" role="status" data-testid="round-status">
          {target.status === "closed"
            ? `This round is closed (it ran ${dates}): answers are no longer accepted. Thank you for your interest.`
            : `This round opens on ${formatLocalDate(round.opensOn)} and runs until ${formatLocalDate(round.closesOn)}. Please come back then.`}
        </div>
      </Shell>
    );
  }
  const answered = (await cookies()).get(await answeredCookie(token));
  const threshold = effectiveThreshold(round.minGroupSize);
  const blocks: FormBlock[] = [];
  let number = 0;
  for (const g of groupByBlock(target.items)) {
    const scale = g.items[0]?.scale ?? "frequency";
    blocks.push({
      block: g.block,
      label: BLOCK_LABELS[g.block],
      stem: STEMS[scale],
      options: allowedValues(scale).map((value) => ({
        value,
        label:
          value === "dk"
            ? DONT_KNOW
            : (SCALE_POINTS[scale].find((p) => String(p.value) === value)?.label ?? value),
      })),
      items: g.items.map((i) => ({ key: i.key, text: i.text, number: ++number })),
    });
  }
  return (
    <Shell title={round.title} team={target.teamName}>
      {target.used ? null : (
        <div className="card card-pad survey-intro">
          <p className="survey-lead">
            A short self-assessment of how <strong>your team</strong> works: {number} statements about the
            last four weeks, about ten minutes. Answer for the team as you see it; there are no right answers,
            and <strong>“Don&apos;t know”</strong> is always fine.
          </p>
          <ul className="small">
            <li>
              Anonymous: no name, e-mail address, IP address or browser details are stored with your answers.
              Open until {formatLocalDate(round.closesOn)}.
            </li>
            <li>
              Your team sees its results only once at least {threshold} people have answered, and comments
              only from {Math.max(COMMENT_MIN, threshold)}. Nobody sees an individual&apos;s answers.
            </li>
          </ul>
        </div>
      )}
      <SurveyForm
        token={token}
        submissionId={randomUUID()}
        blocks={blocks}
        commentMin={Math.max(COMMENT_MIN, threshold)}
        alreadyAnswered={!!answered && sp.again !== "1"}
        linkUsed={target.used}
      />
    </Shell>
  );
}

/**
 * Without JavaScript, React cannot swap a streamed page into the root loading boundary (app/loading.tsx): the page
 * arrives in a hidden element at the end of the body and the skeleton stays. The form must work without
 * JavaScript, so this page, only when scripting is off, hides the skeleton and shows the streamed content.
 */
const NO_SCRIPT_CSS =
  'main > [aria-busy="true"] { display: none !important; } main:has(> [aria-busy="true"]) { padding: 0; } ' +
  'body > div[hidden][id^="S:"] { display: block !important; max-width: var(--max); margin: 0 auto; padding: 24px 24px 64px; }';

function Shell({ title, team, children }: { title: string; team?: string; children: ReactNode }) {
  return (
    <div className="survey-page">
      <noscript>
        <style>{NO_SCRIPT_CSS}</style>
      </noscript>
      <div className="page-head">
        <div>
          {team ? <div className="crumbs">Team survey · {team}</div> : null}
          <h1>{title}</h1>
        </div>
      </div>
      {children}
    </div>
  );
}
