/**
 * A tiny server-rendered SVG line (no chart library, no hydration): the shape of a metric over the period.
 * Gaps (null) break the line.
 */
export function Sparkline({
  values,
  label,
  color = "var(--series-1)",
}: {
  values: (number | null)[];
  label: string;
  color?: string;
}) {
  const w = 84;
  const h = 26;
  const nums = values.filter((v): v is number => v !== null);
  if (nums.length === 0) {
    return (
      <svg className="spark" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}: no data`}>
        <line x1="0" x2={w} y1={h - 2} y2={h - 2} stroke="var(--border-strong)" strokeDasharray="2 3" />
      </svg>
    );
  }
  const max = Math.max(...nums);
  const min = Math.min(0, ...nums);
  const x = (i: number) => (values.length === 1 ? w / 2 : (i / (values.length - 1)) * (w - 2) + 1);
  const y = (v: number) => (max === min ? h / 2 : h - 2 - ((v - min) / (max - min)) * (h - 4));
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  const lastIndex = values.findLastIndex((v) => v !== null);
  const last = values[lastIndex] as number;
  return (
    <svg className="spark" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <path d={d} fill="none" stroke={color} strokeWidth="1.6" strokeLinejoin="round" strokeLinecap="round" />
      <circle cx={x(lastIndex)} cy={y(last)} r="2.2" fill={color} />
    </svg>
  );
}
