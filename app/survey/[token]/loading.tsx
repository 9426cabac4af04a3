/**
 * What a respondent sees while the form loads: the shape of the questionnaire, not the dashboards' skeleton, and
 * (through `.survey-page`) no site navigation even for that moment. `aria-busy` lets the page's no-JavaScript style
 * hide it (app/survey/[token]/page.tsx).
 */
export default function SurveyLoading() {
  return (
    <div className="survey-page" aria-busy="true" aria-live="polite">
      <span className="visually-hidden">Loading the questionnaire…</span>
      <div className="page-head">
        <div style={{ width: "60%" }}>
          <div className="survey-skeleton-line" style={{ width: "40%" }} />
          <div className="survey-skeleton-line" style={{ height: 28 }} />
        </div>
      </div>
      <div className="card card-pad">
        <div className="survey-skeleton-line" />
        <div className="survey-skeleton-line" style={{ width: "85%" }} />
        <div className="survey-skeleton-line" style={{ width: "70%" }} />
      </div>
      <div className="card card-pad" style={{ marginTop: 16 }}>
        {[1, 2, 3].map((i) => (
          <div key={i}>
            <div className="survey-skeleton-line" style={{ width: "75%" }} />
            <div className="survey-skeleton-scale" />
          </div>
        ))}
      </div>
    </div>
  );
}
