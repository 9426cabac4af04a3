"use client";

import { useActionState } from "react";
import { describedBy, Field, FormMessage } from "../../_forms/field";
import { EMPTY, type FormState } from "../../form-state";
import { renewLinkAction, respondentLinksAction, setThresholdAction } from "../actions";
import { EMPTY_ADMIN } from "../state";
import { ConfirmSubmit } from "./confirm";
import { CopyAllLinks, CopyLinks } from "./copy-links";

/** "New link" for one team, confirmed first: the old link stops working; the new one is shown once. */
export function RenewLink({ roundId, teamId, team }: { roundId: number; teamId: number; team: string }) {
  const [state, action, pending] = useActionState(renewLinkAction, EMPTY_ADMIN);
  if (state.links) return <CopyLinks links={state.links.map((l) => ({ ...l, team }))} />;
  return (
    <form action={action}>
      <input type="hidden" name="roundId" value={roundId} />
      <input type="hidden" name="teamId" value={teamId} />
      {state.message ? <span className="error">{state.message}</span> : null}
      <ConfirmSubmit
        label="New link"
        ariaLabel={`New link for ${team}`}
        confirm={pending ? "Creating…" : "Replace the link"}
        disabled={pending}
      >
        {team}'s current link stops working at once: everyone who has not answered yet needs the new one.
      </ConfirmSubmit>
    </form>
  );
}

/** "Create links" for one team of a respondent-mode round: N single-use links, shown once. */
export function RespondentLinks({
  roundId,
  teamId,
  team,
}: {
  roundId: number;
  teamId: number;
  team: string;
}) {
  const [state, action, pending] = useActionState(respondentLinksAction, EMPTY_ADMIN);
  if (state.links) return <CopyAllLinks team={team} urls={state.links.map((l) => l.url)} />;
  const error = state.message;
  return (
    <form action={action} className="calms-link-form">
      <input type="hidden" name="roundId" value={roundId} />
      <input type="hidden" name="teamId" value={teamId} />
      <input
        name="count"
        type="number"
        min={1}
        max={500}
        defaultValue={1}
        aria-label={`How many single-use links for ${team}`}
        aria-invalid={!!error}
        style={{ width: "5em" }}
      />{" "}
      <button
        className="btn btn-small"
        type="submit"
        disabled={pending}
        aria-label={`Create links for ${team}`}
      >
        {pending ? "Creating…" : "Create links"}
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}

export function ThresholdForm({ roundId, value }: { roundId: number; value: number }) {
  const [state, action, pending] = useActionState<FormState, FormData>(setThresholdAction, EMPTY);
  return (
    <form action={action} className="form-grid" noValidate>
      <input type="hidden" name="roundId" value={roundId} />
      <FormMessage state={state} />
      <Field
        name="minGroupSize"
        label="Show a team's results from"
        state={state}
        hint="Answers; 3 at the lowest. Lowering it makes small teams' results visible sooner, with less protection."
      >
        <input
          id="minGroupSize"
          name="minGroupSize"
          type="number"
          min={3}
          max={50}
          defaultValue={value}
          aria-invalid={!!state.errors?.minGroupSize}
          aria-describedby={describedBy("minGroupSize", state)}
        />
      </Field>
      <div>
        <button className="btn" type="submit" disabled={pending}>
          Save threshold
        </button>
      </div>
    </form>
  );
}
