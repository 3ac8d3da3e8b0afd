import { describe, expect, it } from "vitest";
import { parseTagName } from "../../src/core/tagName.ts";
import { sanitizeTag } from "../../src/tags/sanitizeTag.ts";
import { shortHash } from "../../src/tags/shortHash.ts";

describe("sanitizeTag", () => {
  it.each([
    ["feature/login", "feature-login"],
    ["a--b", "a-b"],
    ["a...b", "a.b"],
    ["-a-", "a"],
    ["a/-/b", "a-b"],
    ["UPPER_case.1", "UPPER_case.1"],
    ["tab\tseparated", "tab-separated"],
  ])("%j → %j", (name, expected) => {
    expect(sanitizeTag(name)).toEqual({ ok: true, value: expected });
  });

  it("keeps a name of exactly 128 usable characters as is", () => {
    const name = "a".repeat(128);
    expect(sanitizeTag(name)).toEqual({ ok: true, value: name });
  });

  it("shortens a longer name to a 119-character prefix, a dash and the hash of the full name", () => {
    const name = `${"b".repeat(129)}`;
    expect(sanitizeTag(name)).toEqual({ ok: true, value: `${"b".repeat(119)}-${shortHash(name)}` });
  });

  it("does not leave a dash or dot before the hash when the cut lands on one", () => {
    const name = `${"c".repeat(118)}.-${"d".repeat(40)}`;
    const tag = sanitizeTag(name);
    expect(tag).toEqual({ ok: true, value: `${"c".repeat(118)}-${shortHash(name)}` });
    expect(parseTagName(tag.ok ? tag.value : "").ok).toBe(true);
  });

  it("names the field it is given in a refusal", () => {
    expect(sanitizeTag("---", "git.ref")).toMatchObject({
      ok: false,
      error: [{ field: "git.ref", value: "---" }],
    });
  });
});

describe("shortHash", () => {
  it("is eight stable hex characters that differ for different names", () => {
    expect(shortHash("feature/x")).toBe("1573876a");
    expect(shortHash("feature/y")).toMatch(/^[0-9a-f]{8}$/);
    expect(shortHash("feature/y")).not.toBe(shortHash("feature/x"));
  });
});
