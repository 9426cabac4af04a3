import { View } from "@react-pdf/renderer";
import { formatLocalDate } from "@/lib/format";
import { isLocalDate } from "@/lib/metrics/period";
import type { CalmsReportSection } from "../types";
import { P, PageHead, Sentences, Table } from "./parts";
import { S } from "./theme";

/** "31 Mar 2026" from a local date; anything else as given. */
const closed = (d: string) => (isLocalDate(d) ? formatLocalDate(d) : d);
const score = (v: number | null, max: number) => (v === null ? "hidden" : `${v.toFixed(1)} / ${max}`);
/** " (86% of the members listed)"; nothing when unknown. */
const rate = (r: number | null | undefined) =>
  r === null || r === undefined ? "" : ` (${Math.round(r * 100)}% of the members listed)`;
const teamNote = (t: NonNullable<CalmsReportSection["teams"]>[number]) =>
  t.hiddenReason ??
  `${t.responses} responses${t.responseRate === null || t.responseRate === undefined ? "" : ` · ${Math.round(t.responseRate * 100)}%`}`;

/** The CALMS section (lib/reports/calms.ts fills it, anonymity rules already applied): shows what it holds. */
export function CalmsPage({ calms }: { calms: CalmsReportSection }) {
  const max = calms.scale.max;
  return (
    <View>
      <PageHead
        title="CALMS self-assessment"
        lead={`${calms.round.name}${calms.round.closedOn ? `, closed ${closed(calms.round.closedOn)}` : ""}: ${calms.round.responses} responses${rate(calms.round.responseRate)}. Scores are means on a ${calms.scale.min}–${max} scale.`}
      />
      <Table
        columns={["Dimension", "Score", "Previous round", "Responses"]}
        widths={[40, 20, 20, 20]}
        rows={calms.dimensions.map((d) => [
          d.hiddenReason ? `${d.name} (${d.hiddenReason})` : d.name,
          score(d.score, max),
          d.previous === null ? "–" : score(d.previous, max),
          String(d.responses),
        ])}
      />
      {calms.teams?.length ? (
        <View style={{ marginTop: 12 }}>
          <P style={S.h2}>By team</P>
          <Table
            columns={["Team", ...calms.dimensions.map((d) => d.name)]}
            widths={[25, ...calms.dimensions.map(() => 75 / Math.max(1, calms.dimensions.length))]}
            rows={calms.teams.map((t) => [
              `${t.name} (${teamNote(t)})`,
              ...t.scores.map((s) => score(s, max)),
            ])}
          />
        </View>
      ) : null}
      {calms.sayDo.length ? (
        <View style={{ marginTop: 12 }}>
          <P style={S.h2}>Say vs do</P>
          <Sentences
            items={calms.sayDo.map((n) => ({
              tone: n.level === "warning" ? "worse" : "info",
              text: n.message,
            }))}
          />
        </View>
      ) : null}
      {calms.notes.map((n) => (
        <P key={n} style={[S.small, { marginTop: 4 }]}>
          {n}
        </P>
      ))}
    </View>
  );
}
