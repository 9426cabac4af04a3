"use client";

import { useActionState } from "react";
import { mailLinksAction, remindAction } from "../actions";
import { EMPTY_ADMIN } from "../state";

/**
 * "Mail the links" for one team (ADR 0024): pasted addresses, one single-use link each, sent by the queue. With
 * errors the text comes back (React resets a form after its action), each problem naming its line.
 */
export function MailLinks({ roundId, teamId, team }: { roundId: number; teamId: number; team: string }) {
  const [state, action, pending] = useActionState(mailLinksAction, EMPTY_ADMIN);
  const errors = state.errors?.emails ?? [];
  const id = `emails-${teamId}`;
  return (
    <form action={action} className="grid" style={{ gap: 6 }} data-testid={`mail-links-${teamId}`}>
      <input type="hidden" name="roundId" value={roundId} />
      <input type="hidden" name="teamId" value={teamId} />
      <label htmlFor={id}>E-mail addresses for {team}</label>
      <textarea
        id={id}
        name="emails"
        rows={4}
        key={state.ok ? "sent" : "editing"}
        defaultValue={state.ok ? "" : (state.values?.emails?.[0] ?? "")}
        placeholder={"ada@example.com\nGrace Hopper <grace@example.com>"}
        aria-invalid={errors.length > 0}
        aria-describedby={`${id}-hint${errors.length ? ` ${id}-error` : ""}`}
      />
      <span className="hint" id={`${id}-hint`}>
        One per line (or separated by commas), up to 500. Each person gets their own single-use link; repeated
        addresses count once.
      </span>
      {errors.length ? (
        <ul className="error" id={`${id}-error`} role="alert" style={{ margin: 0 }}>
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      {state.message && !errors.length ? (
        <div className={`alert ${state.ok ? "alert-ok" : "alert-error"}`} role="status">
          {state.message}
        </div>
      ) : null}
      <div>
        <button className="btn btn-small btn-primary" type="submit" disabled={pending}>
          {pending ? "Sending…" : "Mail the links"}
        </button>
      </div>
    </form>
  );
}

/** "Send reminder": the same link again to everyone of the team whose link is still unused. */
export function Remind({ roundId, teamId, waiting }: { roundId: number; teamId: number; waiting: number }) {
  const [state, action, pending] = useActionState(remindAction, EMPTY_ADMIN);
  return (
    <form action={action}>
      <input type="hidden" name="roundId" value={roundId} />
      <input type="hidden" name="teamId" value={teamId} />
      <button className="btn btn-small" type="submit" disabled={pending || waiting === 0}>
        {pending ? "Queuing…" : `Send reminder (${waiting})`}
      </button>{" "}
      {state.message ? (
        <span className={state.ok ? "small" : "error"} role="status">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
