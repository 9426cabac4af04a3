"use client";

import type { ReactNode } from "react";

/**
 * A GET form that applies a choice at once, like the other filters: the select submits its form on change. The
 * button stays for browsers without JavaScript (inside <noscript>).
 */
export function SubmitOnChange({ label, children }: { label: string; children: ReactNode }) {
  return (
    <form
      method="get"
      className="filters no-print"
      aria-label={label}
      onChange={(e) => (e.currentTarget as HTMLFormElement).requestSubmit()}
    >
      {children}
      <noscript>
        <button className="btn" type="submit">
          Show
        </button>
      </noscript>
    </form>
  );
}
