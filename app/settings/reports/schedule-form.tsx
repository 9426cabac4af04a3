"use client";

import { useActionState, useState } from "react";
import { describedBy, Field, FormMessage } from "../_forms/field";
import { createScheduleAction, type ScheduleFormState } from "./actions";

const EMPTY: ScheduleFormState = {};

/** Create a schedule: who gets which report, how and how often. Fields for the other channel are hidden. */
export function ScheduleForm(props: {
  teams: { slug: string; name: string }[];
  zone: string;
  mailReady: boolean;
}) {
  const [state, action, pending] = useActionState(createScheduleAction, EMPTY);
  // Uncontrolled fields whose defaults follow the last answer: React resets a form after its action, to these.
  const v = state.values ?? {};
  const [channel, setChannel] = useState<"email" | "slack" | "teams">("email");
  const [preset, setPreset] = useState("weekly");
  const err = (name: string) => !!state.errors?.[name];
  return (
    <form action={action} className="form-grid" noValidate aria-label="Schedule a report">
      <FormMessage state={state} />
      <Field
        name="name"
        label="Name"
        hint="What the recipients will recognise, e.g. Weekly digest."
        state={state}
      >
        <input
          id="name"
          name="name"
          type="text"
          defaultValue={v.name ?? ""}
          required
          maxLength={100}
          aria-invalid={err("name")}
          aria-describedby={describedBy("name", state)}
        />
      </Field>
      <Field
        name="team"
        label="Report"
        state={state}
        hint="An organisation report lists every team alphabetically."
      >
        <select
          id="team"
          name="team"
          defaultValue={v.team ?? ""}
          aria-describedby={describedBy("team", state)}
        >
          <option value="">The whole organisation</option>
          {props.teams.map((t) => (
            <option key={t.slug} value={t.slug}>
              Team {t.name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        name="preset"
        label="How often"
        hint={`In the organisation's time zone (${props.zone}). Each sends the last complete period.`}
        state={state}
      >
        <select
          id="preset"
          name="preset"
          defaultValue={preset}
          onChange={(e) => setPreset(e.target.value)}
          aria-describedby={describedBy("preset", state)}
        >
          <option value="weekly">Weekly, Monday 08:00 (last week)</option>
          <option value="monthly">Monthly, the 1st at 08:00 (last month)</option>
          <option value="quarterly">Quarterly, the 1st at 08:00 (last quarter)</option>
          <option value="cron">Custom (cron expression)</option>
        </select>
      </Field>
      {preset === "cron" ? (
        <>
          <Field
            name="cron"
            label="Cron expression"
            hint="Five fields: minute hour day-of-month month day-of-week. 0 9 * * 5 is Fridays at 09:00."
            state={state}
          >
            <input
              id="cron"
              name="cron"
              type="text"
              className="mono"
              defaultValue={v.cron ?? ""}
              placeholder="0 9 * * 5"
              aria-invalid={err("cron")}
              aria-describedby={describedBy("cron", state)}
            />
          </Field>
          <Field
            name="period"
            label="Period"
            hint="What each report covers, counted back from the send time."
            state={state}
          >
            <select
              id="period"
              name="period"
              defaultValue="last-week"
              aria-describedby={describedBy("period", state)}
            >
              <option value="last-week">Last complete week</option>
              <option value="last-month">Last complete month</option>
              <option value="last-quarter">Last complete quarter</option>
              <option value="30d">Last 30 days</option>
              <option value="90d">Last 90 days</option>
            </select>
          </Field>
        </>
      ) : null}
      <fieldset className="form-row">
        <legend>Send to</legend>
        {(["email", "slack", "teams"] as const).map((c) => (
          <label key={c} className="inline">
            <input
              type="radio"
              name="channel"
              value={c}
              defaultChecked={channel === c}
              onChange={() => setChannel(c)}
            />{" "}
            {c === "email" ? "E-mail" : c === "slack" ? "Slack channel" : "Microsoft Teams channel"}
          </label>
        ))}
      </fieldset>
      {channel === "email" ? (
        <>
          {!props.mailReady ? (
            <p className="alert alert-error" role="note">
              SMTP_URL is not set on this server: schedules are kept, and each send fails with that reason
              until it is (README § Scheduled reports).
            </p>
          ) : null}
          <Field
            name="recipients"
            label="Recipients"
            hint="E-mail addresses, separated by commas or new lines (at most 50)."
            state={state}
          >
            <textarea
              id="recipients"
              name="recipients"
              rows={3}
              defaultValue={v.recipients ?? ""}
              aria-invalid={err("recipients")}
              aria-describedby={describedBy("recipients", state)}
            />
          </Field>
          <fieldset className="form-row" aria-describedby={describedBy("formats", state, false)}>
            <legend>Attach</legend>
            <label className="inline">
              <input
                type="checkbox"
                name="formats"
                value="pdf"
                defaultChecked={v.formats === undefined || v.formats.split(",").includes("pdf")}
              />{" "}
              PDF report
            </label>
            <label className="inline">
              <input
                type="checkbox"
                name="formats"
                value="csv"
                defaultChecked={v.formats?.split(",").includes("csv") ?? false}
              />{" "}
              CSV data (ZIP)
            </label>
            {state.errors?.formats?.[0] ? (
              <span className="error" id="formats-error" role="alert">
                {state.errors.formats[0]}
              </span>
            ) : null}
          </fieldset>
        </>
      ) : (
        <Field
          name="webhookUrl"
          label="Incoming webhook URL"
          hint={
            channel === "slack"
              ? "Slack: an incoming webhook's URL (https://hooks.slack.com/services/…). Stored encrypted; not shown again."
              : "Teams: the URL of a Workflows “post to a channel when a webhook request is received” flow. Stored encrypted; not shown again."
          }
          state={state}
        >
          <input
            id="webhookUrl"
            name="webhookUrl"
            type="url"
            autoComplete="off"
            className="mono"
            aria-invalid={err("webhookUrl")}
            aria-describedby={describedBy("webhookUrl", state)}
          />
        </Field>
      )}
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : "Schedule"}
        </button>
      </div>
    </form>
  );
}
