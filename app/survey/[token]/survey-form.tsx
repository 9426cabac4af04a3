"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { submitSurveyAction } from "./actions";
import { fieldName, INITIAL, type SurveyState, USED_LINK } from "./state";

/** The error summary links the first few statements that need an answer; every one is marked at the statement. */
const SUMMARY_MAX = 6;

export interface FormBlock {
  block: string;
  label: string;
  stem: string;
  options: { value: string; label: string }[];
  items: { key: string; text: string; number: number }[];
}

/**
 * The questionnaire: one page, one fieldset per statement (keyboard: Tab between statements, arrow keys between
 * answers), progress per part, errors at each statement and in a summary that links to them. Works without
 * JavaScript: the form posts to the server action and the page comes back with the same state.
 */
export function SurveyForm(props: {
  token: string;
  submissionId: string;
  blocks: FormBlock[];
  commentMin: number;
  /** This browser sent answers before (a cookie): say so instead of inviting a second answer. */
  alreadyAnswered: boolean;
  /**
   * A single-use link that has answered (ADR 0014). Decided here rather than by the page, so that the refresh after
   * this very submission (the action sets a cookie) keeps this component, and its "Thank you", on screen.
   */
  linkUsed?: boolean;
}) {
  const [state, action, pending] = useActionState(submitSurveyAction, INITIAL);
  const total = props.blocks.reduce((n, b) => n + b.items.length, 0);
  const [answered, setAnswered] = useState<Set<string>>(() => new Set(Object.keys(state.values ?? {})));
  const summary = useRef<HTMLDivElement>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (state.status === "invalid") summary.current?.focus();
    const names = new Set(Object.keys(state.values ?? {}));
    // Answers ticked before the page became interactive (a slow phone: the radios work before React does) count too.
    form.current?.querySelectorAll<HTMLInputElement>('input[type="radio"]:checked').forEach((input) => {
      names.add(input.name);
    });
    setAnswered(names);
  }, [state]);

  if (state.status === "recorded" || state.status === "duplicate") return <Thanks state={state} />;
  if (state.status && state.status !== "invalid") return <Unavailable status={state.status} />;
  if (props.linkUsed) {
    return (
      <div className="alert" role="status" data-testid="link-used">
        {USED_LINK}
      </div>
    );
  }
  if (props.alreadyAnswered && !state.status) return <AlreadyAnswered />;

  const errors = state.errors ?? {};
  const missing = props.blocks.flatMap((b) => b.items).filter((i) => errors[i.key]);
  return (
    <form
      ref={form}
      action={action}
      noValidate
      className="survey-form"
      onChange={(e) => {
        const input = e.target;
        if (input instanceof HTMLInputElement && input.type === "radio") {
          setAnswered((prev) => new Set(prev).add(input.name));
        }
      }}
    >
      <input type="hidden" name="token" value={props.token} />
      <input type="hidden" name="submissionId" value={props.submissionId} />
      <div className="survey-progress" aria-live="polite">
        <div className="survey-progress-text">
          <strong data-testid="progress">
            {answered.size} of {total} answered
          </strong>
          <span className="survey-parts">
            {props.blocks.map((b) => (
              <a key={b.block} href={`#part-${b.block}`} className="chip">
                {b.label} {b.items.filter((i) => answered.has(fieldName(i.key))).length}/{b.items.length}
              </a>
            ))}
          </span>
        </div>
        <progress max={total} value={answered.size} aria-label="Statements answered" />
      </div>

      {state.status === "invalid" ? (
        <div className="alert alert-error survey-summary" role="alert" tabIndex={-1} ref={summary}>
          <strong>
            {missing.length
              ? `${missing.length} ${missing.length === 1 ? "statement needs" : "statements need"} an answer (choose “Don't know” if you are not sure):`
              : "Please check the form:"}
          </strong>
          <ul>
            {missing.slice(0, SUMMARY_MAX).map((i) => (
              <li key={i.key}>
                <a href={`#q-${i.key}`}>
                  {i.number}. {i.text}
                </a>
              </li>
            ))}
            {missing.length > SUMMARY_MAX ? (
              <li>and {missing.length - SUMMARY_MAX} more, marked below</li>
            ) : null}
            {errors.submissionId ? <li>{errors.submissionId[0]}</li> : null}
            {errors.comment ? (
              <li>
                <a href="#comment">Comment: {errors.comment[0]}</a>
              </li>
            ) : null}
          </ul>
        </div>
      ) : null}

      {props.blocks.map((b, index) => (
        <section
          key={b.block}
          id={`part-${b.block}`}
          className="card card-pad survey-part"
          aria-labelledby={`h-${b.block}`}
        >
          <h2 id={`h-${b.block}`}>
            <span className="muted">
              Part {index + 1} of {props.blocks.length} ·{" "}
            </span>
            {b.label}
          </h2>
          <p className="survey-stem">{b.stem}</p>
          {b.items.map((item) => (
            <Statement key={item.key} item={item} options={b.options} state={state} />
          ))}
        </section>
      ))}

      <section className="card card-pad survey-part">
        <div className="form-row">
          <label htmlFor="comment">Anything else you want to tell the team? (optional)</label>
          <textarea
            id="comment"
            name="comment"
            maxLength={2000}
            defaultValue={state.comment}
            aria-describedby="comment-hint"
            aria-invalid={!!errors.comment}
          />
          <span className="hint" id="comment-hint">
            Please leave out names. Comments are shown, word for word, only once {props.commentMin} people of
            your team have answered.
          </span>
        </div>
      </section>

      <div className="survey-submit">
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {pending ? "Sending…" : "Send my answers"}
        </button>
        <span className="small muted">Answers cannot be changed once sent.</span>
      </div>
    </form>
  );
}

function Statement(props: {
  item: { key: string; text: string; number: number };
  options: { value: string; label: string }[];
  state: SurveyState;
}) {
  const { item, state } = props;
  const name = fieldName(item.key);
  const error = state.errors?.[item.key]?.[0];
  const chosen = state.values?.[name];
  return (
    <fieldset
      className="survey-item"
      id={`q-${item.key}`}
      data-invalid={error ? "true" : undefined}
      aria-describedby={error ? `q-${item.key}-error` : undefined}
    >
      <legend>
        <span className="survey-num">{item.number}.</span> {item.text}
      </legend>
      {error ? (
        <p className="survey-error" id={`q-${item.key}-error`}>
          {error}
        </p>
      ) : null}
      <div className={`survey-scale survey-scale-${props.options.length}`}>
        {props.options.map((o) => (
          <label key={o.value} className={o.value === "dk" ? "survey-opt survey-dk" : "survey-opt"}>
            <input type="radio" name={name} value={o.value} defaultChecked={chosen === o.value} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function Thanks({ state }: { state: SurveyState }) {
  return (
    <div className="card card-pad survey-done" role="status">
      <h2>Thank you: your answers are in.</h2>
      <p className="survey-done-text">
        {state.status === "duplicate"
          ? "These answers had already been received; they count once."
          : "They are stored without your name, e-mail address or anything about your browser."}{" "}
        Your team&apos;s results appear once enough people have answered.
      </p>
    </div>
  );
}

function AlreadyAnswered() {
  return (
    <div className="card card-pad survey-done" role="status" data-testid="already-answered">
      <h2>This browser has already sent answers for this round.</h2>
      <p className="survey-done-text">
        Thank you! Answering again would count twice. Someone else using this device?{" "}
        <a href="?again=1">Open the questionnaire</a>.
      </p>
    </div>
  );
}

function Unavailable({ status }: { status: NonNullable<SurveyState["status"]> }) {
  const text =
    status === "closed"
      ? "This round has closed: answers are no longer accepted."
      : status === "scheduled"
        ? "This round has not opened yet."
        : status === "used"
          ? USED_LINK
          : "This link no longer works. Ask whoever sent it for the current one.";
  return (
    <div className="card card-pad survey-done" role="alert">
      <h2>Your answers were not sent</h2>
      <p className="survey-done-text">{text}</p>
    </div>
  );
}
