import fc from "fast-check";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { parseMetricsParams } from "@/lib/api/metrics-params";
import { parseReportParams } from "@/lib/reports/params";
import { parseFilters } from "@/lib/web/filters";
import { proxy } from "@/proxy";

/**
 * Issue 14 §7, property-based: hostile paths and query strings for every page and API route. The proxy answers
 * 400 or lets the request on (never throws), and every parser of a page's or API's query string returns a result or
 * issues, never an exception. Bounded, seeded runs.
 */

const RUNS = 300;
const PATHS = [
  "/",
  "/teams/payments",
  "/deployments",
  "/deployments/1",
  "/calms",
  "/calms/1/payments",
  "/reports",
  "/settings",
  "/signin",
  "/survey/x",
  "/unsubscribe/x",
  "/api/v1/metrics",
  "/api/v1/reports",
  "/api/v1/corrections/1",
  "/api/v1/calms/rounds/1/teams/payments",
];
const piece = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.constantFrom(
    "%00",
    "%E0%A4%A",
    "%ED%A0%80",
    "%",
    "%%",
    "9999-12-31",
    "0001-01-01",
    "99999999999999999999",
    "+",
  ),
);
const query = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        "period",
        "from",
        "to",
        "env",
        "repo",
        "service",
        "team",
        "page",
        "next",
        "format",
        "granularity",
      ),
      piece,
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v.replace(/[#&]/g, "")}`).join("&"));

describe("hostile query strings", () => {
  it("the proxy never throws: 400 for what cannot be decoded or stored", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), piece, query, (path, segment, q) => {
        let url: string;
        try {
          url = new URL(`http://localhost:3000${path}/${segment.replace(/[?#/]/g, "")}?${q}`).toString();
        } catch {
          return; // not a URL a client can send
        }
        const status = proxy(new NextRequest(url)).status;
        expect([200, 307, 400, 403]).toContain(status);
      }),
      { numRuns: RUNS, seed: 14 },
    );
  });

  it("query-string parsers return results or issues, never throw", () => {
    fc.assert(
      fc.property(query, (q) => {
        const search = new URLSearchParams(q);
        parseMetricsParams(search, "Europe/Berlin");
        parseReportParams(search, "Europe/Berlin");
        const sp = Object.fromEntries(search);
        parseFilters(sp);
      }),
      { numRuns: RUNS, seed: 14 },
    );
  });
});
