import { describe, expect, it } from "vitest";
import { demoLoading, demoLoadingResponse, setDemoLoading } from "@/lib/server/starting";
import { openStartingPage } from "@/scripts/lib/starting-page";
import { freePort } from "@/test/helpers/server";

describe("the first-start page: npm start answers while the app builds", () => {
  it("answers pages and the health check with what is happening, then frees the port", async () => {
    const port = await freePort();
    const page = await openStartingPage("127.0.0.1", port);
    expect(page).not.toBeNull();
    const html = await fetch(`http://127.0.0.1:${port}/teams/payments`);
    expect(html.status).toBe(503);
    expect(html.headers.get("retry-after")).toBe("3");
    const text = await html.text();
    expect(text).toContain("Throughline is starting");
    expect(text).toMatch(/Building the app \(\d+ s so far\)/);
    page?.phase("Starting the server");
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "starting", phase: "Starting the server" });
    await page?.close();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it("stands aside when the port is taken (next start then reports it)", async () => {
    const port = await freePort();
    const first = await openStartingPage("127.0.0.1", port);
    expect(await openStartingPage("127.0.0.1", port)).toBeNull();
    await first?.close();
  });
});

describe("the first-start page while the demo loads (the proxy's answer)", () => {
  const load = { done: 3, total: 20, startedAt: Date.now() - 4_000 };

  it("answers pages 503 with the progress, and says 'demo' only to this machine's user", async () => {
    const local = demoLoadingResponse("/teams/payments", load, true);
    expect(local.status).toBe(503);
    expect(local.headers.get("retry-after")).toBe("3");
    expect(await local.text()).toMatch(/Loading the demo: 3 of 20 repositories \(\d+ s so far\)/);
    const remote = await demoLoadingResponse("/", load, false).text();
    expect(remote).toContain("Loading data");
    expect(remote).not.toMatch(/demo:/);
  });

  it("answers the API with JSON", async () => {
    const api = demoLoadingResponse("/api/v1/teams", load, false);
    expect(api.status).toBe(503);
    expect(await api.json()).toEqual({ status: "starting", phase: "Loading data" });
  });

  it("is shared by the process: boot sets it, the proxy and /api/health read it", () => {
    setDemoLoading(load);
    expect(demoLoading()).toEqual(load);
    setDemoLoading(undefined);
    expect(demoLoading()).toBeUndefined();
  });
});
