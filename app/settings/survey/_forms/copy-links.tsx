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
