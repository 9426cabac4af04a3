"use client";

import { useActionState } from "react";
import { createTeamAction, updateTeamAction } from "../actions";
import { EMPTY } from "../form-state";
import { describedBy, Field, FormMessage } from "./field";

export interface TeamFormProps {
  team?: {
    id: number;
    slug: string;
    name: string;
    description: string;
    members: string[];
    repositoryIds: number[];
  };
  repositories?: { id: number; fullName: string; owner: string | null }[];
}

export function TeamForm({ team, repositories }: TeamFormProps) {
  const [state, action, pending] = useActionState(
    team ? updateTeamAction.bind(null, team.id) : createTeamAction,
    EMPTY,
  );
  return (
    <form action={action} className="form-grid" noValidate>
      <FormMessage state={state} />
      <Field name="name" label="Name" state={state}>
        <input
          id="name"
          name="name"
          type="text"
          defaultValue={team?.name}
          required
          aria-invalid={!!state.errors?.name}
          aria-describedby={describedBy("name", state, false)}
        />
      </Field>
      <Field
        name="slug"
        label="Slug"
        hint="Used in URLs and the API (?team=payments). Lower-case letters, digits, hyphens."
        state={state}
      >
        <input
          id="slug"
          name="slug"
          type="text"
          defaultValue={team?.slug}
          required
          aria-invalid={!!state.errors?.slug}
          aria-describedby={describedBy("slug", state)}
        />
      </Field>
      <Field name="description" label="Description" state={state}>
        <input id="description" name="description" type="text" defaultValue={team?.description} />
      </Field>
      <Field
        name="members"
        label="Members"
        hint="Logins or e-mail addresses, one per line. Used for team context (size, survey response rates), never to rank people."
        state={state}
      >
        <textarea
          id="members"
          name="members"
          defaultValue={team?.members.join("\n")}
          aria-invalid={!!state.errors?.members}
          aria-describedby={describedBy("members", state)}
        />
      </Field>
      {team && repositories ? (
        <fieldset className="form-row" style={{ border: "none", padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: "0.88rem", marginBottom: 6 }}>
            Repositories the team owns
          </legend>
          <div
            style={{
              display: "grid",
              gap: 6,
              maxHeight: 320,
              overflow: "auto",
              border: "1px solid var(--border)",
              borderRadius: 6,
              padding: 10,
            }}
          >
            {repositories.map((r) => (
              <label key={r.id} style={{ display: "flex", gap: 8, alignItems: "center", fontSize: "0.9rem" }}>
                <input
                  type="checkbox"
                  name="repositories"
                  value={r.id}
                  defaultChecked={team.repositoryIds.includes(r.id)}
                />
                {r.fullName}
                {r.owner && !team.repositoryIds.includes(r.id) ? (
                  <span className="small muted">(owned by {r.owner})</span>
                ) : null}
              </label>
            ))}
            {repositories.length === 0 ? (
              <span className="small muted">No repositories yet: connect a source first.</span>
            ) : null}
          </div>
          <span className="hint">
            A monorepo&apos;s services can have their own owners: see Repositories.
          </span>
        </fieldset>
      ) : null}
      <div>
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {pending ? "Saving…" : team ? "Save team" : "Create team"}
        </button>
      </div>
    </form>
  );
}
