import { BAND_LABELS, type Band } from "@/lib/metrics/bands";

/** A band chip: colour and text, never colour alone. */
export function BandChip({ band, small }: { band: Band | null; small?: boolean }) {
  if (!band) {
    return <span className={`band band-none${small ? " small" : ""}`}>No data</span>;
  }
  return (
    <span className={`band band-${band}`} title={`${BAND_LABELS[band]} band (see Definitions)`}>
      {BAND_LABELS[band]}
    </span>
  );
}
