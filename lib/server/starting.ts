/**
 * What a server that is not ready yet says, shared by the two places that say it: the starting page `npm start`
 * serves while it builds (scripts/lib/starting-page.ts) and the proxy of the built app while a first start loads
 * the demo in the background (proxy.ts). Both answer 503 with Retry-After: the app is not there yet, so no page
 * pretends to be (a 200 with a spinner would hide the 401/403/307 it owes later, ADR 10 addendum).
 */

/** The demo load of a first start: set by lib/server/boot.ts, read by the proxy and /api/health. One per process. */
export interface DemoLoad {
  done: number;
  total: number;
  startedAt: number;
}

const g = globalThis as unknown as { __throughlineDemoLoad?: DemoLoad };

export function demoLoading(): DemoLoad | undefined {
  return g.__throughlineDemoLoad;
}

export function setDemoLoading(load: DemoLoad | undefined): void {
  g.__throughlineDemoLoad = load;
}

export function demoLoadPhase(load: DemoLoad): string {
  return `Loading the demo: ${load.done} of ${load.total} repositories`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function startingPageHtml(phase: string, seconds: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Throughline is starting</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#15191e;background:#f6f7f9;display:grid;place-items:center;min-height:90vh;margin:0}
main{background:#fff;border:1px solid #e2e6eb;border-radius:10px;padding:28px 32px;max-width:34rem}
h1{font-size:1.3rem;margin:0 0 8px}p{margin:6px 0;color:#4a5360}.bar{height:6px;background:#eceefe;border-radius:3px;overflow:hidden}
.bar i{display:block;height:100%;width:40%;background:#3b4ce0;animation:m 1.6s ease-in-out infinite}
@keyframes m{0%{margin-left:-40%}100%{margin-left:100%}}</style></head>
<body><main role="status" aria-live="polite"><h1>Throughline is starting</h1>
<p data-phase>${escapeHtml(phase)} (${seconds} s so far).</p><div class="bar" aria-hidden="true"><i></i></div>
<p>This page refreshes by itself and becomes the dashboard when the app is ready. The first start builds the app
and loads the demo once; later starts skip these steps.</p></main></body></html>`;
}

/**
 * The answer to any request while the demo loads: a page for browsers, JSON for the API. `detailed`: whether the
 * caller may learn that a demo is loading (local mode: only this machine's user); others read "Loading data".
 */
export function demoLoadingResponse(pathname: string, load: DemoLoad, detailed: boolean): Response {
  const seconds = Math.round((Date.now() - load.startedAt) / 1000);
  const headers = { "retry-after": "3", "cache-control": "no-store" };
  const phase = detailed ? demoLoadPhase(load) : "Loading data";
  if (pathname.startsWith("/api/"))
    return Response.json({ status: "starting", phase }, { status: 503, headers });
  return new Response(startingPageHtml(phase, seconds), {
    status: 503,
    headers: { ...headers, "content-type": "text/html; charset=utf-8" },
  });
}
