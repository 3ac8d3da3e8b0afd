import { describe, expect, it } from "vitest";
import { clipLine, code, escapeMarkdown, fitText, markdownLink, safeUrl } from "../../src/report/index.ts";

describe("escapeMarkdown", () => {
  it.each([
    ["plain-name_1.0", "plain-name\\_1.0"],
    ["*bold* and _it_", "\\*bold\\* and \\_it\\_"],
    ["a|b", "a\\|b"],
    ["[x](https://evil)", "\\[x\\]\\(https://evil\\)"],
    ["![img](u)", "\\!\\[img\\]\\(u\\)"],
    ["<script>&", "&lt;script&gt;&amp;"],
    ["@octo/team", "\\@octo/team"],
    ["$x^2$", "\\$x^2\\$"],
    ["line\nbreak\r\there", "line break here"],
    ["`code`", "\\`code\\`"],
  ])("escapes %j", (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe("markdownLink / safeUrl", () => {
  it.each([
    ["https://nvd.nist.gov/vuln/detail/CVE-1", "https://nvd.nist.gov/vuln/detail/CVE-1"],
    ["http://x.test/a b(c)", "http://x.test/a%20b%28c%29"],
    ["javascript:alert(1)", undefined],
    ["data:text/html,<b>", undefined],
    ["not a url", undefined],
    ["", undefined],
  ])("safeUrl(%j) → %j", (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });

  it("links http(s) URLs and leaves other text unlinked but escaped", () => {
    expect(markdownLink("CVE_1", "https://x.test/1")).toBe("[CVE\\_1](https://x.test/1)");
    expect(markdownLink("CVE_1", "javascript:x")).toBe("CVE\\_1");
    expect(markdownLink("CVE_1", null)).toBe("CVE\\_1");
  });

  it("keeps a code span closed", () => {
    expect(code("a`b")).toBe("`a'b`");
  });
});

describe("fitText / clipLine", () => {
  it("returns text that fits unchanged", () => {
    expect(fitText("abc\ndef", 7)).toBe("abc\ndef");
  });

  it("cuts at a line boundary and says how much was left out", () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const fitted = fitText(text, 200);
    expect(fitted.length).toBeLessThanOrEqual(200);
    const [kept, note] = fitted.split("\n\n> ");
    expect(text.startsWith(kept ?? "")).toBe(true);
    expect(text[(kept ?? "").length]).toBe("\n");
    expect(note).toBe(
      `**Truncated:** ${text.length - (kept ?? "").length} characters left out to fit GitHub's 200-character limit.`,
    );
  });

  it("never splits a surrogate pair", () => {
    const fitted = fitText("😀".repeat(200), 150);
    expect(fitted.length).toBeLessThanOrEqual(150);
    expect(() => encodeURIComponent(fitted)).not.toThrow();
  });

  it("clips a line with an ellipsis and flattens whitespace", () => {
    expect(clipLine("a\n b   c", 10)).toBe("a b c");
    expect(clipLine("abcdefghijkl", 5)).toBe("abcd…");
  });
});
