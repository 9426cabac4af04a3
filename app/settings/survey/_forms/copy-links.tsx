"use client";

import { useState } from "react";

/** Team links, shown once: a read-only field to select and a Copy button. */
export function CopyLinks({ links }: { links: { team: string; url: string }[] }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <ul className="calms-links" data-testid="team-links">
      {links.map((l) => (
        <li key={l.url}>
          {l.team ? <span className="calms-link-team">{l.team}</span> : null}
          <input
            type="text"
            readOnly
            value={l.url}
            aria-label={l.team ? `Link for ${l.team}` : "New link"}
            onFocus={(e) => e.currentTarget.select()}
          />
          <button
            type="button"
            className="btn btn-small"
            onClick={async () => {
              await navigator.clipboard?.writeText(l.url);
              setCopied(l.url);
            }}
          >
            {copied === l.url ? "Copied" : "Copy"}
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * Single-use links, shown once: one per line in a read-only text area, to paste into a mail merge or hand out one
 * per person (ADR 0014).
 */
export function CopyAllLinks({ team, urls }: { team: string; urls: string[] }) {
  const [copied, setCopied] = useState(false);
  const text = urls.join("\n");
  return (
    <div className="grid" style={{ gap: 6 }}>
      <textarea
        readOnly
        rows={Math.min(10, urls.length)}
        value={text}
        aria-label={`Single-use links for ${team}`}
        data-testid="respondent-links"
        onFocus={(e) => e.currentTarget.select()}
      />
      <span className="small muted">
        {urls.length} {urls.length === 1 ? "link" : "links"}, shown only this once: one per person, each
        answers once.
      </span>
      <div>
        <button
          type="button"
          className="btn btn-small"
          onClick={async () => {
            await navigator.clipboard?.writeText(text);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy all"}
        </button>
      </div>
    </div>
  );
}
