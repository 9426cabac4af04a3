import type { QualityNote } from "@/lib/metrics/quality";

/** What feeds the view and what is missing, in plain words, next to the numbers it affects. */
export function QualityPanel({ notes, sources }: { notes: QualityNote[]; sources?: string }) {
  return (
    <section className="card card-pad" aria-labelledby="quality-title" data-testid="quality-panel">
      <div className="section-head" style={{ marginBottom: 10 }}>
        <h2 id="quality-title">About this data</h2>
        {sources ? <span className="small muted">{sources}</span> : null}
      </div>
      {notes.length === 0 ? (
        <p className="small muted" style={{ margin: 0 }}>
          Nothing to flag: every deployment in the period has its changes, and incidents are linked.
        </p>
      ) : (
        <ul className="notes">
          {notes.map((n) => (
            <li key={n.code} className={`note note-${n.level}`} data-code={n.code}>
              <span className="note-icon" aria-hidden="true">
                {n.level === "warning" ? "!" : "i"}
              </span>
              <span>
                <span className="visually-hidden">{n.level === "warning" ? "Warning: " : "Note: "}</span>
                {n.message}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
