"use client";

import { type RefObject, useRef, useState } from "react";

type CopyState = "idle" | "copied" | "manual";

/**
 * Copies `text`, and says so only when the clipboard took it (issue 15 §7): without a clipboard (plain http on
 * another host, a refused permission) the field's text is selected and the button says to press Ctrl+C.
 */
function useCopy(field: RefObject<HTMLInputElement | HTMLTextAreaElement | null>) {
  const [state, setState] = useState<CopyState>("idle");
  const copy = async (text: string) => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      field.current?.focus();
      field.current?.select();
      setState("manual");
    }
  };
  return [state, copy] as const;
}

const MANUAL = /Mac|iPhone|iPad/.test(typeof navigator === "undefined" ? "" : navigator.platform)
  ? "Press ⌘C"
  : "Press Ctrl+C";

function CopyLink({ team, url }: { team: string; url: string }) {
  const field = useRef<HTMLInputElement>(null);
  const [state, copy] = useCopy(field);
  return (
    <li>
      {team ? <span className="calms-link-team">{team}</span> : null}
      <input
        ref={field}
        type="text"
        readOnly
        value={url}
        aria-label={team ? `Link for ${team}` : "New link"}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" className="btn btn-small" onClick={() => copy(url)}>
        {state === "copied" ? "Copied" : state === "manual" ? MANUAL : "Copy"}
      </button>
    </li>
  );
}

/** Team links, shown once: a read-only field to select and a Copy button. */
export function CopyLinks({ links }: { links: { team: string; url: string }[] }) {
  return (
    <ul className="calms-links" data-testid="team-links">
      {links.map((l) => (
        <CopyLink key={l.url} team={l.team} url={l.url} />
      ))}
    </ul>
  );
}

/**
 * Single-use links, shown once: one per line in a read-only text area, to paste into a mail merge or hand out one
 * per person (ADR 0014).
 */
export function CopyAllLinks({ team, urls }: { team: string; urls: string[] }) {
  const field = useRef<HTMLTextAreaElement>(null);
  const [state, copy] = useCopy(field);
  const text = urls.join("\n");
  return (
    <div className="grid" style={{ gap: 6 }}>
      <textarea
        ref={field}
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
        <button type="button" className="btn btn-small" onClick={() => copy(text)}>
          {state === "copied" ? "Copied" : state === "manual" ? MANUAL : "Copy all"}
        </button>
      </div>
    </div>
  );
}
