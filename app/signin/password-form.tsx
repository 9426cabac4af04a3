"use client";

import { useActionState } from "react";
import { describedBy, Field, FormMessage } from "@/app/settings/_forms/field";
import { EMPTY } from "@/app/settings/form-state";
import { passwordSignInAction } from "./actions";

export function PasswordForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(passwordSignInAction, EMPTY);
  return (
    <form action={action} className="form-grid" aria-label="Sign in with the admin password">
      <FormMessage state={state} />
      <input type="hidden" name="next" value={next} />
      <Field
        name="password"
        label="Admin password"
        hint="Printed once in the server's output on its first start; npm run auth -- reset-password prints a new one."
        state={state}
      >
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={!!state.errors?.password}
          aria-describedby={describedBy("password", state)}
        />
      </Field>
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </div>
    </form>
  );
}
