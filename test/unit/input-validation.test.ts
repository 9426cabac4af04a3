import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { parseMetricsParams } from "@/lib/api/metrics-params";
import { safeReturnTo } from "@/lib/auth/cookies";
import { isLocalDate } from "@/lib/metrics/period";
import {
  decodeSegment,
  findBadText,
  formProblem,
  isWebUrl,
  parseId,
  textProblem,
  urlProblem,
} from "@/lib/validation/input";
import { proxy } from "@/proxy";

/** Issue 14 §4 and §7: what the one validation module refuses, and that the boundaries ask it (ADR 0015). */

describe("input validation", () => {
  it("refuses NUL and lone surrogates, accepts real Unicode", () => {
    expect(textProblem("a\u0000b")).toContain("NUL");
    expect(textProblem("x\uD800")).toContain("surrogate");
    expect(textProblem("\uDC00x")).toContain("surrogate");
    expect(textProblem("café 🚀 東京")).toBeNull();
    expect(findBadText({ a: [1, { b: "ok", c: "no\u0000" }] })).toEqual({
      path: "a[1].c",
      message: expect.stringContaining("NUL"),
    });
    expect(findBadText({ "k\u0000": 1 })?.message).toContain("field name");
  });

  it("ids are integers of the column's range", () => {
    expect(parseId("42")).toBe(42);
    expect(parseId("2147483647")).toBe(2_147_483_647);
    for (const bad of ["0", "2147483648", "99999999999999999999", "1e3", "-1", " 1", "", null])
      expect(parseId(bad)).toBeNull();
  });

  it("dates between 1970 and 2100 only; year 1 and 9999 refused with a clear message", () => {
    expect(isLocalDate("2026-03-02")).toBe(true);
    expect(isLocalDate("0001-01-01")).toBe(false);
    expect(isLocalDate("9999-12-31")).toBe(false);
    const far = parseMetricsParams(new URLSearchParams("from=9999-01-01&to=9999-02-01"), "UTC");
    expect(far).toMatchObject({
      ok: false,
      issues: [{ parameter: "from", message: "must be a date between 1970 and 2100" }, { parameter: "to" }],
    });
    const nul = parseMetricsParams(new URLSearchParams("team=a%00b"), "UTC");
    expect(nul).toMatchObject({
      ok: false,
      issues: [{ parameter: "team", message: expect.stringContaining("NUL") }],
    });
  });

  it("URLs: malformed escapes, NUL and lone surrogates in path or query; web links only", () => {
    expect(urlProblem("/teams/%E0%A4%A", "")).toContain("percent-encoded");
    expect(urlProblem("/teams/payments", "?x=%00")).toContain("NUL");
    expect(urlProblem("/teams/payments", "?x=%ED%A0%80")).toContain("percent-encoded");
    expect(urlProblem("/teams/caf%C3%A9", "?period=90d&repo=acme%2Fpay")).toBeNull();
    expect(decodeSegment("%E0%A4%A")).toBeNull();
    expect(decodeSegment("build%2F41")).toBe("build/41");
    expect(isWebUrl("https://ci.example/run/1")).toBe(true);
    expect(isWebUrl("javascript:alert(1)")).toBe(false);
    expect(isWebUrl("data:text/html,x")).toBe(false);
  });

  it("the proxy answers 400 for a bad URL on every page and API route", async () => {
    const page = proxy(new NextRequest("http://localhost:3000/teams/%E0%A4%A"));
    expect(page.status).toBe(400);
    const api = proxy(new NextRequest("http://localhost:3000/api/v1/metrics?team=%00"));
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ error: "invalid_url" });
  });

  it("server-action forms and repeated ?next= parameters", () => {
    const form = new FormData();
    form.set("name", "Pay\u0000ments");
    expect(formProblem(form)).toContain("NUL");
    const ids = new FormData();
    ids.set("serviceId", "99999999999999999999");
    expect(formProblem(ids)).toContain("id between");
    expect(safeReturnTo(["a", "b"])).toBe("/");
    expect(safeReturnTo("/teams/payments")).toBe("/teams/payments");
  });
});
