"use client";

import { useActionState } from "react";
import { saveOrgSettingsAction } from "../actions";
import { EMPTY } from "../form-state";
import { describedBy, Field, FormMessage } from "./field";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function OrgForm(props: {
  name: string;
  timeZone: string;
  weekStart: number;
  windowHours: number;
  rollbackWindowHours: number;
  revertWindowHours: number;
  zones: string[];
}) {
  const [state, action, pending] = useActionState(saveOrgSettingsAction, EMPTY);
  return (
    <form action={action} className="form-grid" noValidate>
      <FormMessage state={state} />
      <Field name="name" label="Organisation name" state={state}>
        <input
          id="name"
          name="name"
          type="text"
          defaultValue={props.name}
          required
          aria-invalid={!!state.errors?.name}
          aria-describedby={describedBy("name", state, false)}
        />
      </Field>
      <Field
        name="timeZone"
        label="Time zone"
        hint="Every day, week and month on the dashboards (and the from/to dates of the API) are in this zone."
        state={state}
      >
        <input
          id="timeZone"
          name="timeZone"
          type="text"
          list="zones"
          defaultValue={props.timeZone}
          aria-invalid={!!state.errors?.timeZone}
          aria-describedby={describedBy("timeZone", state)}
        />
        <datalist id="zones">
          {props.zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </Field>
      <Field name="weekStart" label="Weeks start on" state={state}>
        <select id="weekStart" name="weekStart" defaultValue={String(props.weekStart)}>
          {WEEKDAYS.map((d, i) => (
            <option key={d} value={i + 1}>
              {d}
            </option>
          ))}
        </select>
      </Field>
      <Field
        name="incidentLinkWindowHours"
        label="Incident link window (hours)"
        hint="An incident with no recorded cause is blamed on the last production deployment of its service within this many hours before it opened. 0 turns this off."
        state={state}
      >
        <input
          id="incidentLinkWindowHours"
          name="incidentLinkWindowHours"
          type="number"
          min={0}
          max={720}
          defaultValue={props.windowHours}
          aria-invalid={!!state.errors?.incidentLinkWindowHours}
          aria-describedby={describedBy("incidentLinkWindowHours", state)}
        />
      </Field>
      <Field
        name="rollbackWindowHours"
        label="Rollback window (hours)"
        hint="Deploying again a SHA that was live before is a rollback (the deployment it undoes failed) only within this many hours of that deployment; later it is a redeploy that fails nothing. 0 turns rollback detection off."
        state={state}
      >
        <input
          id="rollbackWindowHours"
          name="rollbackWindowHours"
          type="number"
          min={0}
          max={8760}
          defaultValue={props.rollbackWindowHours}
          aria-invalid={!!state.errors?.rollbackWindowHours}
          aria-describedby={describedBy("rollbackWindowHours", state)}
        />
      </Field>
      <Field
        name="revertWindowHours"
        label="Revert window (hours)"
        hint="A revert fails the reverted change only when it goes live within this many hours of that change. 0 turns revert detection off."
        state={state}
      >
        <input
          id="revertWindowHours"
          name="revertWindowHours"
          type="number"
          min={0}
          max={8760}
          defaultValue={props.revertWindowHours}
          aria-invalid={!!state.errors?.revertWindowHours}
          aria-describedby={describedBy("revertWindowHours", state)}
        />
      </Field>
      <div>
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
