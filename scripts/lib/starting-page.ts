import http from "node:http";

/**
 * `npm start` answers within seconds, before the app exists: while the first build runs, a plain Node server on the
 * app's own host and port answers every request with a page saying what is happening and for how long (503 with
 * Retry-After, refreshed every 3 s), and /api/health with `{"status":"starting"}`. It closes just before
 * `next start` takes the port.
 */
export interface StartingPage {
  phase: (text: string) => void;
  close: () => Promise<void>;
}

export function startingPageHtml(phase: string, seconds: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Throughline is starting</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#15191e;background:#f6f7f9;display:grid;place-items:center;min-height:90vh;margin:0}
main{background:#fff;border:1px solid #e2e6eb;border-radius:10px;padding:28px 32px;max-width:34rem}
h1{font-size:1.3rem;margin:0 0 8px}p{margin:6px 0;color:#4a5360}.bar{height:6px;background:#eceefe;border-radius:3px;overflow:hidden}
.bar i{display:block;height:100%;width:40%;background:#3b4ce0;animation:m 1.6s ease-in-out infinite}
@keyframes m{0%{margin-left:-40%}100%{margin-left:100%}}</style></head>
<body><main role="status" aria-live="polite"><h1>Throughline is starting</h1>
<p data-phase>${phase} (${seconds} s so far).</p><div class="bar" aria-hidden="true"><i></i></div>
<p>This page refreshes by itself and becomes the dashboard when the app is ready. The first start builds the app
once; later starts skip this step.</p></main></body></html>`;
}

export function openStartingPage(host: string, port: number): Promise<StartingPage | null> {
  const started = Date.now();
  let phase = "Building the app";
  const server = http.createServer((req, res) => {
    const seconds = Math.round((Date.now() - started) / 1000);
    res.setHeader("Retry-After", "3");
    res.setHeader("Cache-Control", "no-store");
    if (req.url?.startsWith("/api/")) {
      res.writeHead(503, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ status: "starting", phase, seconds }));
      return;
    }
    res.writeHead(503, { "Content-Type": "text/html; charset=utf-8" });
    res.end(startingPageHtml(phase, seconds));
  });
  return new Promise((resolve) => {
    // A port already taken is reported by `next start` itself, with its usual message.
    server.once("error", () => resolve(null));
    server.listen(port, host, () =>
      resolve({
        phase: (text) => {
          phase = text;
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}
