/** Navigation feedback: shown at once while a page's figures are computed (Next streams it before the page). */
export default function Loading() {
  return (
    <div className="page-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      Loading…
    </div>
  );
}
