"use client";

import Link from "next/link";
import { useActionState } from "react";
import { describedBy, Field, FormMessage } from "../../_forms/field";
import { createRoundAction } from "../actions";
import { EMPTY_ADMIN } from "../state";
import { CopyLinks } from "./copy-links";

export interface RoundFormProps {
  teams: { id: number; name: string; members: number }[];
  dimensions: {
    block: string;
    label: string;
    items: { key: string; text: string; defaultOn: boolean }[];
  }[];
  westrum: { key: string; text: string }[];
  defaults: { opensOn: string; closesOn: string };
}

const CUSTOM_ROWS = [0, 1, 2];

/** New round: title, dates, teams, statements from the bank and the admin's own, threshold. */
export function RoundForm(props: RoundFormProps) {
  const [state, action, pending] = useActionState(createRoundAction, EMPTY_ADMIN);
  if (state.ok && state.links) {
    return (
      <div className="grid" style={{ gap: 12 }}>
        <FormMessage state={state} />
        {state.links.length ? <CopyLinks links={state.links} /> : null}
        <p>
          <Link className="btn" href={`/settings/survey/${state.roundId}`}>
            Open the round
          </Link>
        </p>
      </div>
    );
  }
  const v = state.values;
  const text = (name: string, fallback = "") => v?.[name]?.[0] ?? fallback;
  const ticked = (name: string, value: string, fallback: boolean) =>
    v ? (v[name] ?? []).includes(value) : fallback;
  const error = (name: string) => state.errors?.[name]?.[0];

  return (
    <form action={action} className="form-grid calms-round-form" noValidate>
      <FormMessage state={state} />
      <Field name="title" label="Title" state={state} hint="Shown to the teams, e.g. “Spring CALMS check”.">
        <input
          id="title"
          name="title"
          type="text"
          defaultValue={text("title")}
          aria-invalid={!!error("title")}
          aria-describedby={describedBy("title", state)}
        />
      </Field>
      <div className="calms-dates">
        <Field name="opensOn" label="Opens on" state={state}>
          <input
            id="opensOn"
            name="opensOn"
            type="date"
            defaultValue={text("opensOn", props.defaults.opensOn)}
            aria-invalid={!!error("opensOn")}
            aria-describedby={describedBy("opensOn", state, false)}
          />
        </Field>
        <Field name="closesOn" label="Closes after" state={state}>
          <input
            id="closesOn"
            name="closesOn"
            type="date"
            defaultValue={text("closesOn", props.defaults.closesOn)}
            aria-invalid={!!error("closesOn")}
            aria-describedby={describedBy("closesOn", state, false)}
          />
        </Field>
      </div>

      <fieldset
        className="calms-fieldset"
        aria-describedby={error("teamIds") ? "teamIds-error" : "teamIds-hint"}
      >
        <legend>Teams</legend>
        <div className="calms-checks">
          {props.teams.map((t) => (
            <label key={t.id}>
              <input
                type="checkbox"
                name="teamIds"
                value={t.id}
                defaultChecked={ticked("teamIds", String(t.id), false)}
              />
              {t.name}
              <span className="small muted">
                {t.members ? `${t.members} members` : "no members listed: response rate unknown"}
              </span>
            </label>
          ))}
          {props.teams.length === 0 ? (
            <span className="small muted">Create a team first (Settings → Teams).</span>
          ) : null}
        </div>
        <span className="hint" id="teamIds-hint">
          Each team gets its own link; answers and results are per team.
        </span>
        {error("teamIds") ? (
          <span className="error" id="teamIds-error" role="alert">
            {error("teamIds")}
          </span>
        ) : null}
      </fieldset>

      <Field
        name="minGroupSize"
        label="Show a team's results from"
        state={state}
        hint="Answers. 5 is recommended; 3 is the lowest allowed. Comments always need at least 10."
      >
        <input
          id="minGroupSize"
          name="minGroupSize"
          type="number"
          min={3}
          max={50}
          defaultValue={text("minGroupSize", "5")}
          aria-invalid={!!error("minGroupSize")}
          aria-describedby={describedBy("minGroupSize", state)}
        />
      </Field>

      <fieldset className="calms-fieldset" aria-describedby="linkMode-hint">
        <legend>Links</legend>
        <label>
          <input
            type="radio"
            name="linkMode"
            value="respondent"
            defaultChecked={text("linkMode", "respondent") === "respondent"}
          />{" "}
          One single-use link per person (recommended)
        </label>
        <label>
          <input type="radio" name="linkMode" value="team" defaultChecked={text("linkMode") === "team"} /> One
          shared link per team (lower assurance)
        </label>
        <span className="hint" id="linkMode-hint">
          A single-use link answers once, so the threshold counts people. A shared link can be used several
          times by one person: its results show dimension scores only, never answers per statement.
        </span>
      </fieldset>

      <fieldset
        className="calms-fieldset"
        aria-describedby={error("itemKeys") ? "itemKeys-error" : "itemKeys-hint"}
      >
        <legend>Statements</legend>
        <span className="hint" id="itemKeys-hint">
          Every dimension asked needs at least two statements. Rounds are compared only on statements they
          share, so keep the same ones from round to round where you can.
        </span>
        {error("itemKeys") ? (
          <span className="error" id="itemKeys-error" role="alert">
            {error("itemKeys")}
          </span>
        ) : null}
        {props.dimensions.map((d) => (
          <fieldset key={d.block} className="calms-fieldset calms-dimension">
            <legend>{d.label}</legend>
            <div className="calms-checks">
              {d.items.map((i) => (
                <label key={i.key}>
                  <input
                    type="checkbox"
                    name="itemKeys"
                    value={i.key}
                    defaultChecked={ticked("itemKeys", i.key, i.defaultOn)}
                  />
                  <span>
                    <span className="mono muted">{i.key}</span> {i.text}
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <label className="calms-westrum">
          <input type="checkbox" name="westrum" defaultChecked={ticked("westrum", "on", false)} />
          <span>
            Add the <strong>generative-culture block</strong> ({props.westrum.length} statements after
            Westrum&apos;s typology, on a 7-point agreement scale; reported as a score of its own).
          </span>
        </label>
      </fieldset>

      <fieldset className="calms-fieldset">
        <legend>Your own statements (optional)</legend>
        <span className="hint">
          One observable behaviour of the team, positively worded, answered “Never … Always” about the last
          four weeks. A statement is never edited afterwards: new wording is a new statement.
        </span>
        {CUSTOM_ROWS.map((i) => (
          <div key={i} className="calms-custom">
            <label className="visually-hidden" htmlFor={`custom-block-${i}`}>
              Dimension of statement {i + 1}
            </label>
            <select
              id={`custom-block-${i}`}
              name={`custom-block-${i}`}
              defaultValue={text(`custom-block-${i}`, "culture")}
            >
              {props.dimensions.map((d) => (
                <option key={d.block} value={d.block}>
                  {d.label}
                </option>
              ))}
            </select>
            <label className="visually-hidden" htmlFor={`custom-text-${i}`}>
              Statement {i + 1}
            </label>
            <input
              id={`custom-text-${i}`}
              name={`custom-text-${i}`}
              type="text"
              placeholder="e.g. We paired on changes that touched several services."
              defaultValue={text(`custom-text-${i}`)}
              aria-invalid={!!error(`custom-text-${i}`)}
              aria-describedby={error(`custom-text-${i}`) ? `custom-text-${i}-error` : undefined}
            />
            {error(`custom-text-${i}`) ? (
              <span className="error" id={`custom-text-${i}-error`} role="alert">
                {error(`custom-text-${i}`)}
              </span>
            ) : null}
          </div>
        ))}
      </fieldset>

      <div>
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create round and links"}
        </button>
      </div>
    </form>
  );
}
