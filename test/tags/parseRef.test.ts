import { describe, expect, it } from "vitest";
import { parseRef } from "../../src/tags/parseRef.ts";

describe("parseRef", () => {
  it.each([
    ["refs/heads/main", { kind: "branch", name: "main" }],
    ["refs/heads/feature/login", { kind: "branch", name: "feature/login" }],
    ["refs/tags/v1.2.3", { kind: "tag", name: "v1.2.3" }],
    ["refs/tags/release/2024", { kind: "tag", name: "release/2024" }],
  ])("splits %s", (ref, expected) => {
    expect(parseRef(ref)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["a pull-request ref", "refs/pull/12/merge", /pull-request ref/],
    ["a remote ref", "refs/remotes/origin/main", /not a branch or tag ref/],
    ["a notes ref", "refs/notes/commits", /not a branch or tag ref/],
    ["a bare name", "main", /must be a full ref/],
    ["an empty branch name", "refs/heads/", /empty branch name/],
    ["an empty tag name", "refs/tags/", /empty tag name/],
    ["a newline", "refs/heads/a\nb", /control characters/],
    ["a NUL byte", "refs/heads/a\u0000b", /control characters/],
    ["an empty string", "", /must be a full ref/],
  ])("refuses %s, naming the field and value", (_title, ref, message) => {
    const parsed = parseRef(ref);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toEqual([{ field: "ref", value: ref, message: expect.stringMatching(message) }]);
  });

  it("refuses a value that is not a string", () => {
    expect(parseRef(undefined)).toMatchObject({
      ok: false,
      error: [{ field: "ref", message: "must be a string" }],
    });
  });
});
