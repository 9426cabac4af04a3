import http from "node:http";
import { startingPageHtml } from "@/lib/server/starting";

/**
 * `npm start` answers within seconds, before the app exists: while the first build runs, a plain Node server on the
 * app's own host and port answers every request with a page saying what is happening and for how long (503 with
 * Retry-After, refreshed every 3 s), and /api/health with `{"status":"starting"}`. It closes just before
 * `next start` takes the port. The page itself is lib/server/starting.ts.
 */
export interface StartingPage {
  phase: (text: string) => void;
  close: () => Promise<void>;
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
