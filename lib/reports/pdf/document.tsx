import { Document, Page, View } from "@react-pdf/renderer";
import { formatCount, formatDuration } from "@/lib/format";
import { breakdownChart, trendCharts } from "../charts";
import { BANDS_EXPLAINED } from "../summary";
import type { Report } from "../types";
import { CalmsPage } from "./calms-page";
import { FocusPage } from "./focus-page";
import { BandChip, Chart, Footer, P, PageHead, Scorecard, Sentences, Table } from "./parts";
import { COLORS, MARGIN, PAPER, type Paper, S, TONES } from "./theme";

/**
 * The report as a PDF document: a one-page summary, the trends, where lead time goes, the teams (org reports), the
 * CALMS results (when there are some), what fed the data, and the definitions. Every page carries the org, the
 * period, the generation date and its number.
 */
export function ReportDocument({ report, paper = "a4" }: { report: Report; paper?: Paper }) {
  const size = PAPER[paper];
  const width = size.width - 2 * MARGIN.x;
  const height = size.height - MARGIN.top - MARGIN.bottom;
  const page = (children: React.ReactNode) => (
    <Page size={size.size} style={S.page}>
      {children}
      <Footer report={report} />
    </Page>
  );
  const chartHeight = Math.floor((height - 60) / 4 - 46);
  const per = report.charts.granularity;
  return (
    <Document
      title={`${report.title}: delivery report, ${report.periods.period.label}`}
      author={`Throughline · ${report.org.name}`}
      subject="DORA metrics report"
      creator="Throughline"
      producer="Throughline"
    >
      {page(<Summary report={report} />)}
      {page(
        <>
          <PageHead
            title="Trends"
            lead={`The dashboard's charts for ${report.periods.period.label}, per ${per}. Gaps mean nothing was measured in that ${per}, not zero.`}
          />
          {trendCharts(report.charts, { width, height: chartHeight, font: 6.5 }).map((c) => (
            <Chart key={c.id} chart={c} />
          ))}
        </>,
      )}
      {page(<Breakdown report={report} width={width} />)}
      {page(<FocusPage focus={report.focus} />)}
      {report.teams ? page(<Teams report={report} />) : null}
      {report.calms ? page(<CalmsPage calms={report.calms} />) : null}
      {page(<Quality report={report} />)}
      {page(<Appendix report={report} />)}
    </Document>
  );
}

function Summary({ report }: { report: Report }) {
  const { period, previous, comparison } = report.periods;
  return (
    <View>
      <P style={S.eyebrow}>THROUGHLINE · DELIVERY REPORT</P>
      <P style={S.title}>{report.team ? report.team.name : `${report.org.name}: whole organisation`}</P>
      <P style={S.subtitle}>
        {`${period.label} (${period.dates}), compared with ${previous.label} (${previous.dates}), the ${comparison}.`}
      </P>
      <P style={[S.subtitle, { marginBottom: 14 }]}>
        {`Production environments: ${report.quality.environments.join(", ") || "none"} · times in ${report.org.timeZone}${report.team?.description ? ` · ${report.team.description}` : ""}`}
      </P>
      <Scorecard summary={report.summary} previousLabel={previous.label} />
      <P style={[S.h2, { marginBottom: 6 }]}>In brief</P>
      <Sentences items={report.narrative} />
      <View
        style={[S.card, { marginTop: 14, backgroundColor: COLORS.surface2, borderColor: COLORS.surface2 }]}
      >
        <P style={[S.bold, { fontSize: 8.5, marginBottom: 3 }]}>How to read this report</P>
        <P style={[S.small, { marginBottom: 3 }]}>{BANDS_EXPLAINED}</P>
        <P style={S.small}>
          Changes compare with the previous period: relative (%) for times and frequency, in percentage points
          (pp) for rates; "better" and "worse" say which way is good. Under each figure: what it is computed
          from. Team and organisation figures pool every change and deployment (a median of all changes, not
          an average of medians). The definitions are in the appendix; what fed the data, and what is missing,
          just before it.
        </P>
      </View>
    </View>
  );
}

function Breakdown({ report, width }: { report: Report; width: number }) {
  const b = report.charts.breakdown;
  const per = report.charts.granularity;
  return (
    <View>
      <PageHead
        title="Where lead time goes"
        lead={
          b.stats.prs
            ? `Median of each stage over ${formatCount(b.stats.prs, "pull request")} first shipped in ${report.periods.period.label}${b.stats.unreviewed ? ` (${b.stats.unreviewed} merged without review: no pickup or review stage)` : ""}. Median pull request lead time, first commit to production: ${formatDuration(b.stats.totalP50)}. Stage medians need not add up to it; the headline lead time is per change (commit), as DORA defines it.`
            : "No pull request reached production in this period, so there is no breakdown."
        }
      />
      {b.stats.prs ? (
        <>
          <View style={[S.row, { height: 14, marginBottom: 6, backgroundColor: COLORS.surface2 }]}>
            {b.segments.map((s) =>
              s.share > 0 ? (
                <View
                  key={s.key}
                  style={{ width: `${(s.share * 100).toFixed(2)}%`, backgroundColor: TONES[s.key] }}
                />
              ) : null,
            )}
          </View>
          <View style={[S.row, { gap: 8, marginBottom: 14 }]}>
            {b.segments.map((s) => (
              <View
                key={s.key}
                style={{ flex: 1, borderLeftWidth: 3, borderLeftColor: TONES[s.key], paddingLeft: 5 }}
              >
                <P style={[S.bold, { fontSize: 11 }]}>{formatDuration(s.seconds)}</P>
                <P style={S.small}>{`${s.label}: ${s.help}`}</P>
              </View>
            ))}
          </View>
        </>
      ) : null}
      <Chart chart={breakdownChart(b.bars, per, { width, height: 170, font: 6.5 })} />
    </View>
  );
}

function Teams({ report }: { report: Report }) {
  const rows = (report.teams ?? []).map((t) => [
    <View key="t">
      <P style={[S.td, S.bold]}>{t.name}</P>
      <P style={S.small}>{formatCount(t.repositories, "repository", "repositories")}</P>
    </View>,
    ...t.summary.map((m) => (
      <View key={m.key} style={{ alignItems: "flex-end" }}>
        <P style={S.td}>{m.value}</P>
        <BandChip band={m.band} />
        <P style={S.small}>{m.sample}</P>
      </View>
    )),
  ]);
  return (
    <View>
      <PageHead
        title="Teams"
        lead={`Each team's figures for ${report.periods.period.label}, listed alphabetically. Compare a team with its own trend, not with other teams: DORA metrics describe how a system delivers, and a league table invites gaming the numbers.`}
      />
      <Table
        columns={["Team", ...report.summary.map((m) => m.name)]}
        rows={rows}
        widths={[20, 16, 16, 16, 16, 16]}
      />
      {report.unownedDeployments > 0 ? (
        <P style={[S.small, { marginTop: 6 }]}>
          {`${formatCount(report.unownedDeployments, "deployment")} belong to repositories no team owns: they count in the organisation's figures, in no team's row.`}
        </P>
      ) : null}
    </View>
  );
}

function Quality({ report }: { report: Report }) {
  const q = report.quality;
  return (
    <View>
      <PageHead
        title="About this data"
        lead="What fed these figures, and what is missing or left out: a figure is never more certain than its data."
      />
      <Table
        columns={["Source", "Status"]}
        rows={q.sources.map((s) => [s.label, s.value])}
        widths={[30, 70]}
        left={2}
      />
      <P style={[S.small, { marginVertical: 8 }]}>
        {`Production environments pooled: ${q.environments.join(", ") || "none"}. Figures count deployments to these environments.`}
      </P>
      {q.notes.length === 0 ? (
        <P>Nothing to flag: every deployment in the period has its changes, and incidents are linked.</P>
      ) : (
        <Sentences
          items={q.notes.map((n) => ({ tone: n.level === "warning" ? "worse" : "info", text: n.message }))}
        />
      )}
    </View>
  );
}

function Appendix({ report }: { report: Report }) {
  return (
    <View>
      <PageHead
        title="Appendix: definitions"
        lead="As DORA defines the five metrics (dora.dev), with Throughline's choices; in full in docs/metrics.md."
      />
      {report.definitions.map((d) => (
        <View key={d.key} style={{ marginBottom: 9 }} wrap={false}>
          <P style={S.h2}>{d.name}</P>
          <P style={{ marginBottom: 2 }}>{d.definition}</P>
          <P style={S.small}>{`Bands: ${d.bands}.`}</P>
        </View>
      ))}
      <View style={{ marginTop: 6 }} wrap={false}>
        <P style={S.h2}>Bands, periods and trends</P>
        <P style={{ marginBottom: 3 }}>{BANDS_EXPLAINED}</P>
        <P style={{ marginBottom: 3 }}>
          {`Periods are local calendar days in ${report.org.timeZone}, both ends included. A calendar quarter, month or year is compared with the previous one; any other range with the period of equal length just before it. Changes under 2% (or half a percentage point for rates) count as no clear change. Medians and percentiles are exact over every change or deployment of the period.`}
        </P>
      </View>
    </View>
  );
}
