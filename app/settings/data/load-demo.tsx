"use client";

import { useActionState } from "react";
import { EMPTY, type FormState } from "../form-state";

export function LoadDemoButton({ action }: { action: () => Promise<FormState> }) {
  const [state, run, pending] = useActionState(async () => action(), EMPTY);
  return (
    <form action={run}>
      {state.message ? (
        <div className="alert alert-error" role="alert">
          {state.message}
        </div>
      ) : null}
      <button className="btn" type="submit" disabled={pending}>
        {pending ? "Loading… (about ten seconds)" : "Load the demo organisation"}
      </button>
    </form>
  );
}
