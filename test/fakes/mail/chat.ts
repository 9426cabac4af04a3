import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A chat incoming-webhook endpoint: Slack answers a good post `200 ok` (text/plain) and a bad one 400 with a reason
 * such as `invalid_blocks`; Teams' Workflows answer 202. Posts are kept as parsed JSON; faults can be injected.
 */

export interface FakeChat {
  url(path: string): string;
  posts: { path: string; body: unknown }[];
  failNext(times: number, status: number, body: string): void;
  close(): Promise<void>;
}

export async function startFakeChat(): Promise<FakeChat> {
  const posts: { path: string; body: unknown }[] = [];
  let failures: { times: number; status: number; body: string } | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (failures && failures.times > 0) {
        failures.times--;
        res.writeHead(failures.status, { "content-type": "text/plain" }).end(failures.body);
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400, { "content-type": "text/plain" }).end("invalid_payload");
        return;
      }
      posts.push({ path: req.url ?? "", body });
      if (req.url?.startsWith("/teams")) res.writeHead(202).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    posts,
    failNext(times, status, body) {
      failures = { times, status, body };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
