"use client";

import { useActionState } from "react";
import { saveServiceAction } from "../actions";
import { EMPTY } from "../form-state";
import { describedBy, Field, FormMessage } from "./field";

export function ServiceForm(props: {
  repositoryId: number;
  teams: { id: number; name: string }[];
  service?: { id: number; name: string; pathPrefixes: string[]; teamId: number | null };
}) {
  const [state, action, pending] = useActionState(
    saveServiceAction.bind(null, props.service?.id ?? null),
    EMPTY,
  );
  const key = props.service ? `svc-${props.service.id}` : `new-${props.repositoryId}`;
  return (
    <form action={action} className="form-grid" style={{ maxWidth: "none" }} noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="repositoryId" value={props.repositoryId} />
      <div style={{ display: "grid", gridTemplateColumns: "1fr 2fr 1fr auto", gap: 10, alignItems: "start" }}>
        <Field name="name" label="Service" state={state}>
          <input
            id={`${key}-name`}
            name="name"
            type="text"
            defaultValue={props.service?.name}
            placeholder="api"
            aria-describedby={describedBy("name", state, false)}
          />
        </Field>
        <Field name="pathPrefixes" label="Path prefixes (one per line)" state={state}>
          <textarea
            id={`${key}-paths`}
            name="pathPrefixes"
            defaultValue={props.service?.pathPrefixes.join("\n")}
            placeholder="services/api/"
            style={{ minHeight: 40 }}
            aria-describedby={describedBy("pathPrefixes", state, false)}
          />
        </Field>
        <Field name="teamId" label="Owner" state={state}>
          <select id={`${key}-team`} name="teamId" defaultValue={props.service?.teamId ?? ""}>
            <option value="">Repository&apos;s team</option>
            {props.teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-row">
          <span aria-hidden="true" style={{ height: 20 }} />
          <button className="btn" type="submit" disabled={pending}>
            {props.service ? "Save" : "Add service"}
          </button>
        </div>
      </div>
    </form>
  );
}
