import type { MetricSummary } from "@/lib/reports/types";
import { BandChip } from "../../_components/band";

const WORD = { better: "better", worse: "worse", flat: "", info: "" } as const;

/** The five figures, one row each, as on the PDF's first page. */
export function Scorecard({ summary, previousLabel }: { summary: MetricSummary[]; previousLabel: string }) {
  return (
    <div className="table-wrap">
      <table className="scorecard" data-testid="scorecard">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" className="num">
              This period
            </th>
            <th scope="col">Band</th>
            <th scope="col">Change vs {previousLabel}</th>
          </tr>
        </thead>
        <tbody>
          {summary.map((m) => (
            <tr key={m.key} data-metric={m.key}>
              <th scope="row">
                <span className="scorecard-name">{m.name}</span>
                <span className="small muted">
                  {m.sample}
                  {m.detail ? ` · ${m.detail}` : ""}
                </span>
              </th>
              <td className="num scorecard-value" data-testid={`report-${m.key}`}>
                {m.value}
              </td>
              <td>
                <BandChip band={m.band} />
              </td>
              <td>
                {m.direction === null ? (
                  <span className="trend trend-none">No data to compare in {previousLabel}</span>
                ) : (
                  <>
                    <span className={`trend trend-${m.direction}`}>
                      {m.change}
                      {WORD[m.direction] ? ` (${WORD[m.direction]})` : ""}
                    </span>
                    <span className="small muted">
                      {" "}
                      · {previousLabel}: {m.previous}
                    </span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
