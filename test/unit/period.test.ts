import { describe, expect, it } from "vitest";
import {
  addDays,
  autoGranularity,
  bucketStart,
  bucketsOf,
  daysInBucket,
  isLocalDate,
  localDate,
  parsePeriodSpec,
  period,
  previousPeriod,
} from "@/lib/metrics/period";

describe("local dates", () => {
  it("validates real calendar dates only", () => {
    expect(isLocalDate("2026-02-28")).toBe(true);
    expect(isLocalDate("2026-02-29")).toBe(false);
    expect(isLocalDate("2028-02-29")).toBe(true);
    expect(isLocalDate("2026-13-01")).toBe(false);
    expect(isLocalDate("26-01-01")).toBe(false);
  });

  it("adds days across month, year and DST boundaries (calendar days, no zone)", () => {
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("knows today in the org's zone, not the server's", () => {
    const instant = new Date("2026-11-22T03:30:00Z");
    expect(localDate("UTC", instant)).toBe("2026-11-22");
    expect(localDate("America/Los_Angeles", instant)).toBe("2026-11-21");
    expect(localDate("Pacific/Kiritimati", new Date("2026-11-22T12:00:00Z"))).toBe("2026-11-23");
  });
});

describe("periods", () => {
  it("the previous period has the same length and ends the day before", () => {
    // Q3 has 92 days, Q2 only 91: the previous period of *equal length* starts on 31 March.
    expect(previousPeriod(period("2026-07-01", "2026-09-30"))).toEqual(period("2026-03-31", "2026-06-30"));
    expect(previousPeriod(period("2026-10-24", "2026-11-22"))).toEqual(period("2026-09-24", "2026-10-23"));
    expect(previousPeriod(period("2026-03-01", "2026-03-01"))).toEqual(period("2026-02-28", "2026-02-28"));
  });

  it("parses report period notations", () => {
    expect(parsePeriodSpec("2026-Q3", "UTC")).toEqual(period("2026-07-01", "2026-09-30"));
    expect(parsePeriodSpec("2026-q1", "UTC")).toEqual(period("2026-01-01", "2026-03-31"));
    expect(parsePeriodSpec("2026-Q4", "UTC")).toEqual(period("2026-10-01", "2026-12-31"));
    expect(parsePeriodSpec("2028-02", "UTC")).toEqual(period("2028-02-01", "2028-02-29"));
    expect(parsePeriodSpec("2026", "UTC")?.days).toBe(365);
    expect(parsePeriodSpec("2026-07-01..2026-09-30", "UTC")).toEqual(period("2026-07-01", "2026-09-30"));
    expect(parsePeriodSpec("30d", "UTC", new Date("2026-11-22T10:00:00Z"))).toEqual(
      period("2026-10-24", "2026-11-22"),
    );
    for (const bad of [
      "2026-Q5",
      "2026-13",
      "2026-09-30..2026-07-01",
      "yesterday",
      "2026-02-30..2026-03-01",
    ]) {
      expect(parsePeriodSpec(bad, "UTC")).toBeNull();
    }
  });

  it("picks daily buckets for a month, weekly for a year, monthly beyond", () => {
    expect(autoGranularity(30)).toBe("day");
    expect(autoGranularity(90)).toBe("week");
    expect(autoGranularity(365)).toBe("week");
    expect(autoGranularity(730)).toBe("month");
  });
});

describe("buckets", () => {
  // 2026-11-22 is a Sunday.
  it("starts weeks on the org's week start", () => {
    expect(bucketStart("2026-11-22", "week", 1)).toBe("2026-11-16"); // Monday
    expect(bucketStart("2026-11-22", "week", 7)).toBe("2026-11-22"); // Sunday
    expect(bucketStart("2026-11-21", "week", 7)).toBe("2026-11-15");
    expect(bucketStart("2026-11-22", "week", 6)).toBe("2026-11-21"); // Saturday
    expect(bucketStart("2026-11-22", "month", 1)).toBe("2026-11-01");
  });

  it("lists every bucket overlapping the period, partial ones included, for zero-filling", () => {
    const p = period("2026-11-01", "2026-11-22");
    expect(bucketsOf(p, "week", 1)).toEqual(["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]);
    expect(daysInBucket("2026-10-26", "week", p)).toBe(1);
    expect(daysInBucket("2026-11-16", "week", p)).toBe(7);
    expect(bucketsOf(period("2026-01-15", "2026-03-02"), "month", 1)).toEqual([
      "2026-01-01",
      "2026-02-01",
      "2026-03-01",
    ]);
    expect(bucketsOf(period("2026-01-30", "2026-02-01"), "day", 1)).toEqual([
      "2026-01-30",
      "2026-01-31",
      "2026-02-01",
    ]);
  });
});
