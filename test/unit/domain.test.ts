import { describe, expect, it } from "vitest";
import { isBot } from "@/lib/domain/bots";
import { inferTier } from "@/lib/domain/environments";
import { isHotfix, revertSignal } from "@/lib/domain/pull-requests";

describe("bots", () => {
  it("recognises GitHub apps and common dependency bots", () => {
    expect(isBot({ login: "dependabot[bot]" })).toBe(true);
    expect(isBot({ login: "renovate-bot" })).toBe(true);
    expect(isBot({ login: "github-actions" })).toBe(true);
    expect(isBot({ email: "49699333+dependabot[bot]@users.noreply.github.com" })).toBe(true);
    expect(isBot({ name: "release-please[bot]" })).toBe(true);
  });

  it("does not flag people, even with 'bot' inside a word", () => {
    expect(isBot({ login: "abbott", email: "abbott@example.com", name: "Ana Abbott" })).toBe(false);
    expect(isBot({ login: "robotics-fan" })).toBe(false);
    expect(isBot({ email: "jane@users.noreply.github.com" })).toBe(false);
  });

  it("honours configured patterns", () => {
    expect(isBot({ login: "acme-release" }, ["acme-release"])).toBe(true);
    expect(isBot({ email: "ci@acme.io" }, ["ci@*"])).toBe(true);
  });
});

describe("environment tiers", () => {
  it("infers tiers from common names", () => {
    expect(inferTier("production")).toBe("production");
    expect(inferTier("prod-eu-west-1")).toBe("production");
    expect(inferTier("Live")).toBe("production");
    expect(inferTier("pre-prod")).toBe("staging");
    expect(inferTier("preprod")).toBe("staging");
    expect(inferTier("staging")).toBe("staging");
    expect(inferTier("uat")).toBe("staging");
    expect(inferTier("qa")).toBe("testing");
    expect(inferTier("dev")).toBe("development");
    expect(inferTier("pr-123-preview")).toBe("development");
    expect(inferTier("github-pages")).toBe("other");
    expect(inferTier("product-catalog")).toBe("other");
  });
});

describe("PR signals", () => {
  it("recognises GitHub's revert PRs and the PR they revert", () => {
    expect(revertSignal({ title: 'Revert "Add cache"', headBranch: "revert-123-add-cache" })).toEqual({
      isRevert: true,
      revertsNumber: 123,
    });
    expect(revertSignal({ title: "Undo cache", body: "Reverts acme/api#77" })).toEqual({
      isRevert: true,
      revertsNumber: 77,
    });
    expect(revertSignal({ title: "Revert #45: flaky" })).toEqual({ isRevert: true, revertsNumber: 45 });
    expect(revertSignal({ title: "Reverting is hard: docs" }).isRevert).toBe(false);
  });

  it("recognises hotfixes by label or branch", () => {
    expect(isHotfix({ labels: ["Hotfix"] })).toBe(true);
    expect(isHotfix({ labels: ["hot-fix"] })).toBe(true);
    expect(isHotfix({ labels: [], headBranch: "hotfix/login" })).toBe(true);
    expect(isHotfix({ labels: ["bug"], headBranch: "fix/login" })).toBe(false);
  });
});
