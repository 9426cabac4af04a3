"use client";

import { useActionState } from "react";
import { describedBy, Field, FormMessage } from "../_forms/field";
import { createTokenAction, type TokenFormState } from "./actions";

const EMPTY: TokenFormState = {};

/** Create a token; the answer carries it once, shown here to copy. */
export function TokenForm({ teams }: { teams: { slug: string; name: string }[] }) {
  const [state, action, pending] = useActionState(createTokenAction, EMPTY);
  return (
    <form action={action} className="form-grid" noValidate aria-label="Create an API token">
      <FormMessage state={state} />
      {state.token ? (
        <div className="form-row">
          <label htmlFor="new-token">Your new token</label>
          <input
            id="new-token"
            readOnly
            value={state.token}
            className="mono"
            onFocus={(e) => e.currentTarget.select()}
          />
          <span className="hint">Store it in your CI/CD's secrets, e.g. as THROUGHLINE_TOKEN.</span>
        </div>
      ) : null}
      <Field
        name="name"
        label="Name"
        hint="Which pipeline or tool uses it, e.g. jenkins-payments."
        state={state}
      >
        <input
          id="name"
          name="name"
          type="text"
          required
          maxLength={80}
          aria-invalid={!!state.errors?.name}
          aria-describedby={describedBy("name", state)}
        />
      </Field>
      <Field
        name="team"
        label="Scope"
        hint="A team token may write only that team's repositories and services."
        state={state}
      >
        <select id="team" name="team" defaultValue="" aria-describedby={describedBy("team", state)}>
          <option value="">The whole organisation</option>
          {teams.map((t) => (
            <option key={t.slug} value={t.slug}>
              Team {t.name}
            </option>
          ))}
        </select>
      </Field>
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}
