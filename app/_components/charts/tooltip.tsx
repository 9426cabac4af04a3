/** The tooltip body every chart uses: a title and label/value rows. */
export function TipBox({ title, rows }: { title: string; rows: [string, string | number][] }) {
  return (
    <div className="chart-tip">
      <strong>{title}</strong>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label} style={{ display: "contents" }}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** What Recharts passes a custom tooltip: the hovered row is payload[0].payload. */
export interface TipProps<T> {
  active?: boolean;
  payload?: { payload: T }[];
}

export function hovered<T>({ active, payload }: TipProps<T>): T | null {
  return active ? (payload?.[0]?.payload ?? null) : null;
}
