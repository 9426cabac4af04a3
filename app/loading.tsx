export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <span className="visually-hidden">Loading…</span>
      <div className="grid grid-5" style={{ marginTop: 40 }}>
        {[1, 2, 3, 4, 5].map((i) => (
          <div key={i} className="card card-pad metric" style={{ position: "relative" }}>
            <div className="chart-skeleton" />
          </div>
        ))}
      </div>
      <div className="grid grid-2 section">
        {[1, 2].map((i) => (
          <div key={i} className="card" style={{ height: 300, position: "relative" }}>
            <div className="chart-skeleton" />
          </div>
        ))}
      </div>
    </div>
  );
}
