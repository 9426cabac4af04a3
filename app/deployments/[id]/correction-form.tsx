"use client";

import { useActionState } from "react";
import { describedBy, Field, FormMessage } from "@/app/settings/_forms/field";
import { EMPTY } from "@/app/settings/form-state";
import { correctDeploymentAction } from "./actions";

export interface CorrectionChoice {
  value: string;
  label: string;
  group: "Outcome" | "Metrics" | "Incidents";
}

/** What can be corrected on this deployment and why; the signed-in admin is recorded as its author. */
export function CorrectionForm(props: { deploymentId: number; choices: CorrectionChoice[]; author: string }) {
  const [state, action, pending] = useActionState(
    correctDeploymentAction.bind(null, props.deploymentId),
    EMPTY,
  );
  const groups = (["Outcome", "Metrics", "Incidents"] as const).filter((g) =>
    props.choices.some((c) => c.group === g),
  );
  return (
    <form action={action} className="form-grid" noValidate aria-label="Correct this deployment">
      <FormMessage state={state} />
      <Field name="change" label="What is wrong?" state={state}>
        <select
          id="change"
          name="change"
          defaultValue=""
          aria-invalid={!!state.errors?.change}
          aria-describedby={describedBy("change", state, false)}
        >
          <option value="" disabled>
            Choose a correction…
          </option>
          {groups.map((g) => (
            <optgroup key={g} label={g}>
              {props.choices
                .filter((c) => c.group === g)
                .map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </Field>
      <Field
        name="reason"
        label="Why"
        hint="Shown next to the figure it changes, for everyone who reads it."
        state={state}
      >
        <textarea
          id="reason"
          name="reason"
          rows={2}
          maxLength={500}
          required
          aria-invalid={!!state.errors?.reason}
          aria-describedby={describedBy("reason", state)}
        />
      </Field>
      <p className="small muted">Recorded as made by {props.author}, now.</p>
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : "Save correction"}
        </button>
      </div>
    </form>
  );
}
