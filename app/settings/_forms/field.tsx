import type { ReactNode } from "react";
import type { FormState } from "../form-state";

/** A labelled form row with its hint and its error, wired for screen readers. */
export function Field(props: {
  name: string;
  label: string;
  hint?: ReactNode;
  state: FormState;
  children: ReactNode;
}) {
  const error = props.state.errors?.[props.name]?.[0];
  return (
    <div className="form-row">
      <label htmlFor={props.name}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <span className="hint" id={`${props.name}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {error ? (
        <span className="error" id={`${props.name}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function describedBy(name: string, state: FormState, hint = true): string | undefined {
  const ids = [hint ? `${name}-hint` : null, state.errors?.[name]?.length ? `${name}-error` : null].filter(
    Boolean,
  );
  return ids.length ? ids.join(" ") : undefined;
}

export function FormMessage({ state }: { state: FormState }) {
  if (!state.message) return null;
  return (
    <div className={`alert ${state.ok ? "alert-ok" : "alert-error"}`} role="status">
      {state.message}
    </div>
  );
}
