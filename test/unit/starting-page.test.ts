import { describe, expect, it } from "vitest";
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
