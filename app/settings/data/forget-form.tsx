"use client";

import { useActionState } from "react";
import { describedBy, Field, FormMessage } from "../_forms/field";
import { type EraseFormState, erasePersonAction } from "./privacy-actions";

const EMPTY: EraseFormState = {};

/** Forget a person: by e-mail address or login, confirmed. */
export function ForgetForm() {
  const [state, action, pending] = useActionState(erasePersonAction, EMPTY);
  const v = state.values;
  return (
    <form
      action={action}
      className="form-grid"
      noValidate
      aria-label="Forget a person"
      key={state.ok ? `done-${state.message}` : "form"}
    >
      <FormMessage state={state} />
      <Field name="kind" label="Find them by" state={state}>
        <select
          id="kind"
          name="kind"
          defaultValue={v?.kind ?? "email"}
          aria-describedby={describedBy("kind", state)}
        >
          <option value="email">E-mail address</option>
          <option value="login">Login (GitHub, GitLab)</option>
        </select>
      </Field>
      <Field
        name="identity"
        label="E-mail address or login"
        hint="Every address and login linked to it by their commits is erased too."
        state={state}
      >
        <input
          id="identity"
          name="identity"
          type="text"
          required
          maxLength={320}
          autoComplete="off"
          defaultValue={v?.identity ?? ""}
          aria-invalid={!!state.errors?.identity}
          aria-describedby={describedBy("identity", state)}
        />
      </Field>
      <Field
        name="confirm"
        label="Confirm"
        hint="Their name, e-mail and login become a pseudonym everywhere, now and in every later sync. Figures do not change. This cannot be undone."
        state={state}
      >
        <label className="inline">
          <input
            id="confirm"
            name="confirm"
            type="checkbox"
            value="yes"
            aria-describedby={describedBy("confirm", state)}
          />{" "}
          I understand this cannot be undone
        </label>
      </Field>
      <div>
        <button type="submit" className="btn btn-danger" disabled={pending}>
          {pending ? "Erasing…" : "Forget this person"}
        </button>
      </div>
    </form>
  );
}
