import { describe, expect, it } from "vitest";
import { type RefFilter, refAllowed } from "../../src/tags/refAllowed.ts";

const filter: RefFilter = { branches: ["main", "release/*", "hotfix/**"], tagPatterns: ["v*", "stable-?"] };

describe("refAllowed", () => {
  it.each([
    ["refs/heads/main", "allowed"],
    ["refs/heads/release/1.x", "allowed"],
    ["refs/heads/release/1.x/extra", "denied"],
    ["refs/heads/hotfix/a/b/c", "allowed"],
    ["refs/heads/mainline", "denied"],
    ["refs/heads/feature/x", "denied"],
    ["refs/tags/v1.2.3", "allowed"],
    ["refs/tags/stable-1", "allowed"],
    ["refs/tags/stable-12", "denied"],
    ["refs/tags/1.2.3", "denied"],
    ["refs/pull/1/merge", "denied"],
    ["main", "denied"],
  ])("%s is %s", (ref, kind) => {
    expect(refAllowed(ref, filter).kind).toBe(kind);
  });

  it("allows every branch and tag when no lists are given", () => {
    expect(refAllowed("refs/heads/anything/at/all", {})).toEqual({ kind: "allowed" });
    expect(refAllowed("refs/tags/x", {})).toEqual({ kind: "allowed" });
  });

  it("allows no tags when the tag list is empty", () => {
    expect(refAllowed("refs/tags/v1.0.0", { tagPatterns: [] })).toMatchObject({ kind: "denied" });
  });

  it("treats regular-expression characters in a glob literally", () => {
    expect(refAllowed("refs/heads/a+b", { branches: ["a+b"] }).kind).toBe("allowed");
    expect(refAllowed("refs/heads/aab", { branches: ["a+b"] }).kind).toBe("denied");
    expect(refAllowed("refs/heads/a.b", { branches: ["a.b"] }).kind).toBe("allowed");
    expect(refAllowed("refs/heads/axb", { branches: ["a.b"] }).kind).toBe("denied");
  });

  it("says which list a denied name missed", () => {
    expect(refAllowed("refs/heads/feature/x", filter)).toEqual({
      kind: "denied",
      reason: 'branch "feature/x" matches none of branches ["main","release/*","hotfix/**"]',
    });
  });

  it("says why a ref that is not a branch or tag is denied", () => {
    expect(refAllowed("refs/pull/1/merge", filter)).toEqual({
      kind: "denied",
      reason: expect.stringContaining("pull-request ref"),
    });
  });
});
