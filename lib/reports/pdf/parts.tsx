import { Circle, Line, Path, Rect, Svg, Text, View } from "@react-pdf/renderer";
import type { Style } from "@react-pdf/types";
import type { ReactNode } from "react";
import { BAND_LABELS, type Band } from "@/lib/metrics/bands";
import type { ChartGeometry } from "../charts";
import type { MetricSummary, Report, Sentence } from "../types";
import { BAND_COLORS, COLORS, FONT_BOLD, pdfText, S, TONES, TREND_COLORS } from "./theme";

/** Building blocks of the PDF pages. Every string goes through pdfText (see theme.ts). */

const noHyphens = (word: string) => [word];

export function P({ children, style }: { children: ReactNode; style?: Style | Style[] }) {
  const clean = (c: ReactNode): ReactNode =>
    typeof c === "string" ? pdfText(c) : Array.isArray(c) ? c.map(clean) : c;
  // react-pdf resolves a unitless line height against the font size of the same style, then inherits it in points:
  // each text sets both, so a heading's lines are not spaced for body text.
  const styles = (Array.isArray(style) ? style : style ? [style] : []).filter(Boolean);
  const fontSize = Number(styles.reduce<unknown>((f, st) => st.fontSize ?? f, 9.5));
  return (
    <Text style={[...styles, { fontSize, lineHeight: 1.3 }]} hyphenationCallback={noHyphens}>
      {clean(children)}
    </Text>
  );
}

export function Footer({ report }: { report: Report }) {
  const who = report.team ? `${report.org.name} · ${report.team.name}` : report.org.name;
  const generated = report.generatedAt.slice(0, 16).replace("T", " ");
  return (
    <View style={S.footer} fixed>
      <P
        style={{ fontSize: 7.5 }}
      >{`${who} · ${report.periods.period.label} · generated ${generated} UTC by Throughline`}</P>
      <Text render={({ pageNumber, totalPages }) => `Page ${pageNumber} of ${totalPages}`} />
    </View>
  );
}

export function PageHead({ title, lead }: { title: string; lead?: string }) {
  return (
    <View style={{ marginBottom: 10 }}>
      <P style={S.h1}>{title}</P>
      {lead ? <P style={S.lead}>{lead}</P> : null}
    </View>
  );
}

export function BandChip({ band }: { band: Band | null }) {
  const c = BAND_COLORS[band ?? "none"];
  return (
    <Text style={[S.chip, { backgroundColor: c.bg, color: c.fg, lineHeight: 1.25 }]}>
      {band ? BAND_LABELS[band] : "No data"}
    </Text>
  );
}

const WORD = { better: " (better)", worse: " (worse)", flat: "", info: "" } as const;

/** The five figures, one row each: value, band, change against the previous period, and the sample behind it. */
export function Scorecard({ summary, previousLabel }: { summary: MetricSummary[]; previousLabel: string }) {
  const col = [34, 17, 13, 36];
  return (
    <View style={{ marginBottom: 14 }}>
      <View style={[S.tableRow, { paddingVertical: 3 }]}>
        {["Metric", "This period", "Band", `Change vs ${previousLabel}`].map((h, i) => (
          <View key={h} style={{ width: `${col[i]}%` }}>
            <P style={S.th}>{h}</P>
          </View>
        ))}
      </View>
      {summary.map((m) => {
        const d = m.direction ?? "info";
        return (
          <View
            key={m.key}
            style={[S.tableRow, { alignItems: "flex-start", paddingVertical: 6 }]}
            wrap={false}
          >
            <View style={{ width: `${col[0]}%`, paddingRight: 6 }}>
              <P style={[S.bold, { fontSize: 9.5 }]}>{m.name}</P>
              <P style={S.small}>{m.sample}</P>
              {m.detail ? <P style={S.small}>{m.detail}</P> : null}
            </View>
            <View style={{ width: `${col[1]}%` }}>
              <P style={{ fontSize: 15, fontFamily: FONT_BOLD }}>{m.value}</P>
            </View>
            <View style={[S.row, { width: `${col[2]}%`, paddingTop: 3 }]}>
              <BandChip band={m.band} />
            </View>
            <View style={{ width: `${col[3]}%` }}>
              {m.direction === null ? (
                <P style={[S.small, { paddingTop: 2 }]}>{`No data to compare in ${previousLabel}`}</P>
              ) : (
                <>
                  <P style={{ fontSize: 9.5, fontFamily: FONT_BOLD, color: TREND_COLORS[d] }}>
                    {`${m.change}${WORD[d]}`}
                  </P>
                  <P style={S.small}>{`${previousLabel}: ${m.previous}`}</P>
                  {m.interval ? <P style={S.small}>{`95% interval of the change: ${m.interval}`}</P> : null}
                </>
              )}
            </View>
          </View>
        );
      })}
    </View>
  );
}

export function Sentences({ items }: { items: Sentence[] }) {
  return (
    <View>
      {items.map((s) => (
        <View key={s.text} style={[S.row, { marginBottom: 4 }]} wrap={false}>
          <View
            style={{
              width: 5,
              height: 5,
              borderRadius: 2.5,
              marginTop: 3.5,
              marginRight: 7,
              backgroundColor: TREND_COLORS[s.tone],
            }}
          />
          <P style={{ flex: 1, fontSize: 9.5 }}>{s.text}</P>
        </View>
      ))}
    </View>
  );
}

export function Legend({ items }: { items: ChartGeometry["legend"] }) {
  return (
    <View style={[S.row, { gap: 10 }]}>
      {items.map((l) => (
        <View key={l.label} style={[S.row, { alignItems: "center" }]}>
          <View
            style={{ width: 7, height: 7, borderRadius: 1.5, backgroundColor: TONES[l.tone], marginRight: 3 }}
          />
          <P style={S.small}>{l.label}</P>
        </View>
      ))}
    </View>
  );
}

/** A chart from its geometry (lib/reports/charts.ts), drawn with @react-pdf's Svg primitives. */
export function Chart({ chart }: { chart: ChartGeometry }) {
  return (
    <View style={{ marginBottom: 12 }} wrap={false}>
      <View style={[S.row, { justifyContent: "space-between", alignItems: "flex-end", marginBottom: 3 }]}>
        <View>
          <P style={S.h2}>{chart.title}</P>
          <P style={S.small}>{chart.subtitle}</P>
        </View>
        <Legend items={chart.legend} />
      </View>
      {chart.empty ? (
        <View
          style={{
            height: chart.height,
            borderWidth: 0.8,
            borderStyle: "dashed",
            borderColor: COLORS.border,
            justifyContent: "center",
            alignItems: "center",
          }}
        >
          <P style={S.small}>{chart.empty}</P>
        </View>
      ) : (
        <Svg width={chart.width} height={chart.height} viewBox={`0 0 ${chart.width} ${chart.height}`}>
          {chart.shapes.map((s, i) => shape(s, i))}
        </Svg>
      )}
      {chart.note && !chart.empty ? <P style={S.small}>{chart.note}</P> : null}
    </View>
  );
}

function shape(s: ChartGeometry["shapes"][number], key: number) {
  switch (s.kind) {
    case "rect":
      return <Rect key={key} x={s.x} y={s.y} width={s.w} height={s.h} fill={TONES[s.fill]} />;
    case "line":
      return (
        <Line
          key={key}
          x1={s.x1}
          y1={s.y1}
          x2={s.x2}
          y2={s.y2}
          stroke={TONES[s.stroke]}
          strokeWidth={s.width}
        />
      );
    case "path":
      return (
        <Path
          key={key}
          d={s.d}
          stroke={s.stroke ? TONES[s.stroke] : "none"}
          fill={s.fill ? TONES[s.fill] : "none"}
          strokeWidth={s.width}
        />
      );
    case "circle":
      return <Circle key={key} cx={s.cx} cy={s.cy} r={s.r} fill={TONES[s.fill]} />;
    case "text":
      return (
        <Text key={key} x={s.x} y={s.y} fill={TONES.label} textAnchor={s.anchor} style={{ fontSize: s.size }}>
          {pdfText(s.text)}
        </Text>
      );
  }
}

/** A simple table: text columns left-aligned, figures right-aligned. */
export function Table({
  columns,
  rows,
  widths,
  left = 1,
}: {
  columns: string[];
  rows: ReactNode[][];
  widths: number[];
  /** How many leading columns are left-aligned (text); the rest are figures, right-aligned. */
  left?: number;
}) {
  const cell = (c: ReactNode, i: number, header: boolean) => (
    <View
      key={i}
      style={{
        width: `${widths[i] ?? 10}%`,
        alignItems: i < left ? "flex-start" : "flex-end",
        paddingRight: 4,
      }}
    >
      {typeof c === "string" || typeof c === "number" ? <P style={header ? S.th : S.td}>{String(c)}</P> : c}
    </View>
  );
  return (
    <View>
      <View style={S.tableRow} fixed>
        {columns.map((c, i) => cell(c, i, true))}
      </View>
      {rows.map((r, k) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static rows, never reordered
        <View key={k} style={S.tableRow} wrap={false}>
          {r.map((c, i) => cell(c, i, false))}
        </View>
      ))}
    </View>
  );
}
