"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { type Filters, PERIOD_PRESETS, withFilters } from "@/lib/web/filters";

export interface RepoOption {
  fullName: string;
  services: string[];
}

/**
 * Period, environment and repository/service filters, kept in the URL. A plain GET form (works without
 * JavaScript); with JavaScript every change applies at once.
 */
export function FilterBar(props: {
  filters: Filters;
  environments: { name: string; tier: string }[];
  repos: RepoOption[];
  showRepo?: boolean;
  /** Other query parameters of the page to keep when a filter changes (e.g. team, outcome). */
  keep?: Record<string, string>;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [enhanced, setEnhanced] = useState(false);
  const [custom, setCustom] = useState(props.filters.preset === "custom");
  useEffect(() => setEnhanced(true), []);

  const go = (changes: Partial<Filters>) => {
    const query = new URLSearchParams(withFilters(props.filters, changes).slice(1));
    for (const [k, v] of Object.entries(props.keep ?? {})) query.set(k, v);
    const qs = query.toString();
    startTransition(() => router.push(`${pathname}${qs ? `?${qs}` : ""}`, { scroll: false }));
  };
  const repoValue = props.filters.repo
    ? `${props.filters.repo}${props.filters.service ? `::${props.filters.service}` : ""}`
    : "";

  return (
    <form
      className="filters no-print"
      method="get"
      aria-label="Filters"
      aria-busy={pending}
      data-pending={pending ? "true" : "false"}
    >
      <div className="field">
        <label htmlFor="filter-period">Period</label>
        <select
          id="filter-period"
          name="period"
          defaultValue={props.filters.preset}
          onChange={(e) => {
            const v = e.target.value as Filters["preset"];
            if (v === "custom") setCustom(true);
            else {
              setCustom(false);
              go({ preset: v, from: null, to: null });
            }
          }}
        >
          {PERIOD_PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </div>
      {custom || !enhanced ? (
        <>
          <div className="field">
            <label htmlFor="filter-from">From</label>
            <input id="filter-from" type="date" name="from" defaultValue={props.filters.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="filter-to">To</label>
            <input id="filter-to" type="date" name="to" defaultValue={props.filters.to ?? ""} />
          </div>
        </>
      ) : null}
      <div className="field">
        <label htmlFor="filter-env">Environment</label>
        <select
          id="filter-env"
          name="env"
          defaultValue={props.filters.env ?? ""}
          onChange={(e) => go({ env: e.target.value || null })}
        >
          <option value="">All production environments</option>
          {props.environments.map((e) => (
            <option key={e.name} value={e.name}>
              {e.name} ({e.tier})
            </option>
          ))}
        </select>
      </div>
      {props.showRepo !== false ? (
        <div className="field">
          <label htmlFor="filter-repo">Repository / service</label>
          <select
            id="filter-repo"
            name="repo"
            defaultValue={repoValue}
            onChange={(e) => {
              const [repo, service] = e.target.value.split("::");
              go({ repo: repo || null, service: service || null });
            }}
          >
            <option value="">All repositories</option>
            {props.repos.map((r) =>
              r.services.length > 1 ? (
                <optgroup key={r.fullName} label={r.fullName}>
                  <option value={r.fullName}>{r.fullName} (all services)</option>
                  {r.services.map((s) => (
                    <option key={s} value={`${r.fullName}::${s}`}>
                      {r.fullName} · {s}
                    </option>
                  ))}
                </optgroup>
              ) : (
                <option key={r.fullName} value={r.fullName}>
                  {r.fullName}
                </option>
              ),
            )}
          </select>
        </div>
      ) : null}
      {custom && enhanced ? (
        <button
          type="button"
          className="btn"
          onClick={(e) => {
            const form = (e.currentTarget as HTMLButtonElement).form as HTMLFormElement;
            const data = new FormData(form);
            const from = String(data.get("from") ?? "") || null;
            const to = String(data.get("to") ?? "") || null;
            go({ preset: "custom", from, to });
          }}
        >
          Apply dates
        </button>
      ) : null}
      {Object.entries(props.keep ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {!enhanced ? (
        <button type="submit" className="btn">
          Apply
        </button>
      ) : null}
      {pending ? (
        <span className="small muted" role="status">
          Updating…
        </span>
      ) : null}
    </form>
  );
}
