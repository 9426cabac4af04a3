import type { RoundStatus } from "@/lib/calms/rounds";

const LABELS: Record<RoundStatus, { text: string; className: string }> = {
  scheduled: { text: "Not open yet", className: "chip chip-info" },
  open: { text: "Open", className: "chip chip-ok" },
  closed: { text: "Closed", className: "chip" },
};

export function RoundStatusChip({ status }: { status: RoundStatus }) {
  const l = LABELS[status];
  return <span className={l.className}>{l.text}</span>;
}
