import { describe, expect, it } from "vitest";
import {
  formatChange,
  formatDuration,
  formatDurationLong,
  formatFrequency,
  formatInstant,
  formatLocalDate,
  formatPercent,
} from "@/lib/format";

describe("format", () => {
  it("durations pick one readable unit", () => {
    expect(formatDuration(null)).toBe("–");
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(1_800)).toBe("30 min");
    expect(formatDuration(9_900)).toBe("2.8 h");
    expect(formatDuration(47_700)).toBe("13 h");
    expect(formatDuration(266_400)).toBe("3.1 d");
    expect(formatDuration(86_400)).toBe("1 d");
    expect(formatDuration(30 * 86_400)).toBe("4.3 wk");
    expect(formatDuration(200 * 86_400)).toBe("7 mo");
    expect(formatDurationLong(3_600)).toBe("1 hour");
    expect(formatDurationLong(9_900)).toBe("2.8 hours");
  });

  it("rates and frequencies", () => {
    expect(formatPercent(1 / 3)).toBe("33.3%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatFrequency(14)).toBe("2 / day");
    expect(formatFrequency((6 / 31) * 7)).toBe("1.4 / week");
    expect(formatFrequency(0.25)).toBe("1.1 / month");
    expect(formatFrequency(0)).toBe("none");
  });

  it("changes: relative for values, points for rates", () => {
    expect(formatChange(0.5, 0.231, false)).toBe("+23%");
    expect(formatChange(-0.5, -0.052, false)).toBe("−5.2%");
    expect(formatChange(0.021, 0.3, true)).toBe("+2.1 pp");
    expect(formatChange(null, null, false)).toBe("");
  });

  it("dates in the org's zone", () => {
    expect(formatLocalDate("2026-03-02")).toBe("2 Mar 2026");
    expect(formatInstant("2026-02-28T23:30:00Z", "Europe/Berlin")).toBe("1 Mar 2026, 00:30");
    expect(formatInstant("2026-02-28T23:30:00Z", "UTC")).toBe("28 Feb 2026, 23:30");
  });
});
