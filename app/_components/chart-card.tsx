import type { ReactNode } from "react";

export interface LegendItem {
  label: string;
  color: string;
  /** A hatched swatch (a partial bucket's bar). */
  hatched?: boolean;
}

/**
 * A chart with its title, legend and the numbers behind it as a table ("Show data"): the table is the
 * accessible and no-JavaScript version of the chart, and lets anyone check a bar by hand.
 */
export function ChartCard(props: {
  id: string;
  title: string;
  subtitle?: string;
  legend?: LegendItem[];
  children: ReactNode;
  columns: string[];
  /** The numbers behind the chart; a cell may be a link to its rows. */
  rows: ReactNode[][];
  /** Shown instead of the chart when it has nothing to draw (bare axes read as zero). */
  empty?: string | null;
  /** A line under the chart, e.g. which buckets are partial. */
  note?: string | null;
}) {
  return (
    <section className="card card-pad chart-card" aria-labelledby={`${props.id}-title`} data-chart={props.id}>
      <header>
        <div>
          <h2 id={`${props.id}-title`}>{props.title}</h2>
          {props.subtitle ? <p>{props.subtitle}</p> : null}
        </div>
        {props.legend ? (
          <div className="legend">
            {props.legend.map((l) => (
              <span key={l.label}>
                <i
                  style={{
                    background: l.hatched
                      ? `repeating-linear-gradient(45deg, ${l.color} 0 2px, transparent 2px 4px)`
                      : l.color,
                  }}
                />
                {l.label}
              </span>
            ))}
          </div>
        ) : null}
      </header>
      {props.empty ? (
        <div className="chart-empty" data-testid={`${props.id}-empty`}>
          {props.empty}
        </div>
      ) : (
        <>
          {props.children}
          {props.note ? (
            <p className="chart-note" data-testid={`${props.id}-note`}>
              {props.note}
            </p>
          ) : null}
        </>
      )}
      <details className="data">
        <summary>Show data</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {props.columns.map((c, i) => (
                  <th key={c} className={i > 0 ? "num" : undefined} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r, row) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: one row per bucket, in bucket order
                <tr key={row}>
                  {r.map((cell, i) => (
                    <td key={props.columns[i]} className={i > 0 ? "num" : undefined}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
