import { describe, expect, it } from "vitest";
import { parseTagName } from "../../src/core/tagName.ts";
import { buildTag } from "../../src/tags/buildTag.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";

describe("buildTag", () => {
  it("prefixes a full lowercase commit id with sha-", () => {
    const tag = buildTag(COMMIT);
    expect(tag).toEqual({ ok: true, value: `sha-${COMMIT}` });
    expect(parseTagName(tag.ok && tag.value).ok).toBe(true);
  });

  it.each([
    ["a short id", "0123456"],
    ["39 hex characters", COMMIT.slice(1)],
    ["41 hex characters", `${COMMIT}0`],
    ["uppercase hex", COMMIT.toUpperCase()],
    ["a non-hex character", `${COMMIT.slice(1)}g`],
    ["an empty string", ""],
    ["a shell substitution", "$(rm -rf /)"],
    ["a sha256 object id", "a".repeat(64)],
  ])("refuses %s, naming the field commit and the value", (_title, commit) => {
    const tag = buildTag(commit);
    expect(tag.ok).toBe(false);
    if (tag.ok) return;
    expect(tag.error).toEqual([{ field: "commit", value: commit, message: expect.stringContaining("40") }]);
  });

  it("refuses a value that is not a string", () => {
    expect(buildTag(42 as unknown as string)).toMatchObject({
      ok: false,
      error: [{ field: "commit", value: 42 }],
    });
  });
});
