"use client";

import { useEffect, useState } from "react";

interface Preset {
  value: string;
  label: string;
  /** The relative name a scheduled job would use (npm run report -- --period last-quarter). */
  cli: string;
}

/**
 * Org or team, period, then View / PDF / CSV / JSON. A plain GET form to the report page (works without
 * JavaScript); the download links follow the choices as they change.
 */
export function ReportForm(props: {
  teams: { slug: string; name: string }[];
  orgName: string;
  presets: Preset[];
}) {
  const [team, setTeam] = useState("");
  const [choice, setChoice] = useState(props.presets[0]?.value ?? "custom");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [paper, setPaper] = useState("a4");
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  const custom = choice === "custom";
  const spec = custom ? (from && to ? `${from}..${to}` : null) : choice;
  const query = (extra: Record<string, string> = {}) => {
    const q = new URLSearchParams();
    if (team) q.set("team", team);
    if (spec) q.set("period", spec);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return q.toString();
  };
  const preset = props.presets.find((p) => p.value === choice);
  const command = `npm run report -- ${team ? `--team ${team} ` : ""}--period ${preset ? preset.cli : (spec ?? "FROM..TO")} --format pdf`;
  const disabled = spec === null;
  const link = (format: string, extra: Record<string, string> = {}) =>
    disabled ? undefined : `/api/v1/reports?${query({ format, ...extra })}`;

  return (
    <form className="card card-pad report-form" method="get" action="/reports/view" aria-label="Report">
      <div className="filters">
        <div className="field">
          <label htmlFor="report-team">Report on</label>
          <select id="report-team" name="team" value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">{props.orgName}: whole organisation</option>
            {props.teams.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="report-period">Period</label>
          <select id="report-period" name="period" value={choice} onChange={(e) => setChoice(e.target.value)}>
            {props.presets.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
            <option value="custom">Custom dates…</option>
          </select>
        </div>
        <div className="field" hidden={enhanced && !custom}>
          <label htmlFor="report-from">From</label>
          <input
            id="report-from"
            type="date"
            name="from"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </div>
        <div className="field" hidden={enhanced && !custom}>
          <label htmlFor="report-to">To</label>
          <input id="report-to" type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="report-paper">PDF paper</label>
          <select id="report-paper" value={paper} onChange={(e) => setPaper(e.target.value)}>
            <option value="a4">A4</option>
            <option value="letter">US Letter</option>
          </select>
        </div>
      </div>
      <div className="report-actions">
        <button type="submit" className="btn btn-primary" disabled={disabled}>
          View report
        </button>
        <a className="btn" href={link("pdf", { paper })} aria-disabled={disabled} download>
          PDF
        </a>
        <a className="btn" href={link("csv")} aria-disabled={disabled} download>
          CSV (ZIP)
        </a>
        <a className="btn" href={link("json")} aria-disabled={disabled}>
          JSON
        </a>
      </div>
      <p className="small muted" style={{ margin: "12px 0 0" }}>
        The same from a shell or a scheduled job: <code>{command}</code>
      </p>
    </form>
  );
}
