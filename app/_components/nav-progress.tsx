"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/**
 * Navigation feedback without a root app/loading.tsx (its Suspense boundary streamed 200 before pages checked the
 * caller: ADR 10 addendum). A thin bar at the top of the page starts when a same-site link is clicked and stops
 * when the new URL renders. It renders no Suspense boundary and changes no page's status.
 */
export function NavProgress() {
  const pathname = usePathname();
  const search = useSearchParams()?.toString() ?? "";
  const [state, setState] = useState<"idle" | "loading" | "done">("idle");
  const fallback = useRef<ReturnType<typeof setTimeout> | null>(null);

  // The new URL has rendered: finish the bar.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation, keyed by the URL
  useEffect(() => {
    setState((s) => (s === "loading" ? "done" : s));
    if (fallback.current) clearTimeout(fallback.current);
  }, [pathname, search]);

  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a");
      if (!a || a.target === "_blank" || a.hasAttribute("download")) return;
      const url = new URL(a.href, window.location.href);
      // Same-site pages only: file downloads (/api/…) and in-page anchors never navigate.
      if (url.origin !== window.location.origin || url.pathname.startsWith("/api/")) return;
      if (url.pathname === window.location.pathname && url.search === window.location.search) return;
      setState("loading");
      // A navigation that never lands (a blocked request) must not leave the bar running forever.
      if (fallback.current) clearTimeout(fallback.current);
      fallback.current = setTimeout(() => setState("idle"), 20_000);
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, []);

  useEffect(() => {
    if (state !== "done") return;
    const t = setTimeout(() => setState("idle"), 400);
    return () => clearTimeout(t);
  }, [state]);

  return (
    <div
      className="nav-progress"
      data-state={state}
      data-testid="nav-progress"
      role="progressbar"
      aria-label="Loading the page"
      aria-hidden={state === "idle"}
    />
  );
}
