import { describe, expect, it } from "vitest";
import { band } from "@/lib/metrics/bands";

const H = 3600;
const D = 24 * H;

describe("bands", () => {
  it("deployment frequency (per week): ≥7 elite, ≥1 high, ≥ once a month medium", () => {
    expect(band("deploymentFrequency", 7)).toBe("elite");
    expect(band("deploymentFrequency", 6.99)).toBe("high");
    expect(band("deploymentFrequency", 1)).toBe("high");
    expect(band("deploymentFrequency", 0.25)).toBe("medium");
    expect(band("deploymentFrequency", 0.2)).toBe("low");
    expect(band("deploymentFrequency", 0)).toBe("low");
  });

  it("lead time and recovery: below each edge", () => {
    expect(band("changeLeadTime", D - 1)).toBe("elite");
    expect(band("changeLeadTime", D)).toBe("high");
    expect(band("changeLeadTime", 7 * D)).toBe("medium");
    expect(band("changeLeadTime", 30 * D)).toBe("low");
    expect(band("recoveryTime", 59 * 60)).toBe("elite");
    expect(band("recoveryTime", H)).toBe("high");
    expect(band("recoveryTime", 3 * D)).toBe("medium");
    expect(band("recoveryTime", 8 * D)).toBe("low");
  });

  it("change failure rate: midpoints between the 2023 cluster values", () => {
    expect(band("changeFailureRate", 0.05)).toBe("elite");
    expect(band("changeFailureRate", 0.1)).toBe("high");
    expect(band("changeFailureRate", 0.15)).toBe("medium");
    expect(band("changeFailureRate", 0.4)).toBe("low");
    expect(band("reworkRate", 0.074)).toBe("elite");
  });

  it("has no band without data", () => {
    expect(band("changeLeadTime", null)).toBeNull();
  });
});
