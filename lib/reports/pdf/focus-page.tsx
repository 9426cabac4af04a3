import { View } from "@react-pdf/renderer";
import type { FocusArea } from "@/lib/pipeline/improve";
import { P, PageHead } from "./parts";
import { S } from "./theme";

const VERDICT: Record<FocusArea["calms"]["verdict"], string> = {
  agree: "CALMS answers agree.",
  disagree: "CALMS answers disagree.",
  mixed: "CALMS answers are mixed.",
  unavailable: "No CALMS answers to compare.",
};

/** "Where to focus" (docs/improve.md): the same areas, numbers and sentences as the pipeline page. */
export function FocusPage({ focus }: { focus: FocusArea[] }) {
  return (
    <View>
      <PageHead
        title="Where to focus"
        lead="At most three areas, ranked by what halving them would do to lead time, change failure rate or time to restore. Deterministic rules (docs/improve.md), about the system, never about a person."
      />
      {focus.length === 0 ? (
        <P>
          Nothing stands out: no area passes the rules for this period (not enough data, or every figure
          already in the elite band).
        </P>
      ) : (
        focus.map((f) => (
          <View key={f.key} style={[S.card, { marginBottom: 10 }]} wrap={false}>
            <P style={[S.h2, { marginBottom: 4 }]}>{`${f.rank}. ${f.title}`}</P>
            {f.evidence.map((e) => (
              <P key={e} style={S.small}>{`• ${e}`}</P>
            ))}
            <P style={[S.bold, { fontSize: 9, marginTop: 4 }]}>{f.ifHalved.sentence}</P>
            <P
              style={S.small}
            >{`DORA capability: ${f.capability.name} (${f.capability.url}). ${f.suggestion}`}</P>
            <P style={[S.small, { marginTop: 3 }]}>{`${VERDICT[f.calms.verdict]} ${f.calms.message}`}</P>
            {f.calms.items.map((i) => (
              <P
                key={i.key}
                style={S.small}
              >{`  “${i.text}”: mean ${i.mean.toFixed(1)} of 10 (${i.verdict})`}</P>
            ))}
          </View>
        ))
      )}
    </View>
  );
}
