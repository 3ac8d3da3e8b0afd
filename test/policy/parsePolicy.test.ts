import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatPolicyIssue, parsePolicy } from "../../src/policy/index.ts";

const EXAMPLES = new URL("../../examples/policies/", import.meta.url);

const VALID = `version: 1
thresholds:
  fixable: { CRITICAL: 0, HIGH: 0 }
`;

describe("parsePolicy: valid policies", () => {
  it.each(readdirSync(EXAMPLES).filter((file) => /\.(ya?ml|json)$/.test(file)))(
    "accepts examples/policies/%s",
    (file) => {
      const result = parsePolicy(readFileSync(new URL(file, EXAMPLES), "utf8"), file);
      expect(result.ok ? [] : result.error.map(formatPolicyIssue)).toEqual([]);
    },
  );

  it("fills in the defaults", () => {
    expect(parsePolicy(VALID)).toEqual({
      ok: true,
      value: {
        version: 1,
        thresholds: { fixable: { CRITICAL: 0, HIGH: 0 } },
        unknownFix: "fixable",
        allowlist: [],
        unsupportedImages: [],
        warnExpiringWithinDays: 14,
        scan: { timeoutMinutes: 60 },
        onNewFinding: "notify",
        overrides: [],
      },
    });
  });

  it("reads an unquoted YAML date as the date string, and null as unlimited", () => {
    const result = parsePolicy(`version: 1
thresholds: { fixable: { CRITICAL: 0, HIGH: null } }
allowlist:
  - { id: CVE-2023-1234, reason: r, owner: o, expires: 2027-03-31 }
`);
    expect(result.ok && result.value.allowlist[0]?.expires).toBe("2027-03-31");
    expect(result.ok && result.value.thresholds.fixable?.HIGH).toBeNull();
  });

  it("accepts thresholds that limit nothing when both tables say CRITICAL: null explicitly", () => {
    const result = parsePolicy(
      "version: 1\nthresholds:\n  fixable: { CRITICAL: null }\n  unfixable: { CRITICAL: null }\n",
    );
    expect(result.ok).toBe(true);
  });

  it("reads JSON", () => {
    const result = parsePolicy(
      '{"version": 1, "thresholds": {"unfixable": {"CRITICAL": 0}}, "onNewFinding": "demote"}',
    );
    expect(result.ok && result.value.onNewFinding).toBe("demote");
  });
});

const ENTRY = "  - { id: CVE-2023-1234, reason: r, owner: o, expires: 2027-03-31 }";

// [title, policy text, field, value, message, line]
const INVALID: Array<[string, string, string, unknown, RegExp, number]> = [
  [
    "an unknown top-level key",
    `${VALID}onNewFindings: demote\n`,
    "onNewFindings",
    "demote",
    /^is not a known field \(expected one of: version, thresholds/,
    4,
  ],
  [
    "a misspelt severity",
    "version: 1\nthresholds:\n  fixable:\n    CRTICAL: 0\n",
    "thresholds.fixable.CRTICAL",
    0,
    /^is not a severity \(expected one of: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED\)$/,
    4,
  ],
  [
    "a lowercase severity",
    "version: 1\nthresholds: { unfixable: { high: 1 } }\n",
    "thresholds.unfixable.high",
    1,
    /^is not a severity/,
    2,
  ],
  [
    "an unknown threshold table",
    "version: 1\nthresholds: { fixed: { HIGH: 1 } }\n",
    "thresholds.fixed",
    { HIGH: 1 },
    /^is not a known field \(expected one of: fixable, unfixable\)$/,
    2,
  ],
  [
    "a negative threshold",
    "version: 1\nthresholds:\n  unfixable: { HIGH: -1 }\n",
    "thresholds.unfixable.HIGH",
    -1,
    /^must be at least 0$/,
    3,
  ],
  [
    "a fractional threshold",
    "version: 1\nthresholds:\n  fixable: { LOW: 2.5 }\n",
    "thresholds.fixable.LOW",
    2.5,
    /^must be a whole number/,
    3,
  ],
  [
    "a quoted threshold",
    "version: 1\nthresholds:\n  fixable: { LOW: '2' }\n",
    "thresholds.fixable.LOW",
    "2",
    /^must be a number, not a string$/,
    3,
  ],
  ["a missing version", "thresholds: { fixable: { HIGH: 0 } }\n", "version", undefined, /^is required$/, 1],
  ["version 2", "version: 2\nthresholds: { fixable: { HIGH: 0 } }\n", "version", 2, /^must be 1$/, 1],
  ["missing thresholds", "version: 1\n", "thresholds", undefined, /^is required$/, 1],
  [
    "empty thresholds",
    "version: 1\nthresholds: {}\n",
    "thresholds",
    {},
    /^limit nothing, so every finding would pass/,
    2,
  ],
  [
    "thresholds with empty tables",
    "version: 1\nthresholds: { fixable: {}, unfixable: {} }\n",
    "thresholds",
    { fixable: {}, unfixable: {} },
    /^limit nothing/,
    2,
  ],
  [
    "thresholds whose only entries are null below CRITICAL",
    "version: 1\nthresholds:\n  fixable: { LOW: null }\n",
    "thresholds",
    { fixable: { LOW: null } },
    /^limit nothing.*`fixable: \{ CRITICAL: null \}, unfixable: \{ CRITICAL: null \}`/,
    2,
  ],
  [
    "thresholds unlimited explicitly in one table only",
    "version: 1\nthresholds:\n  fixable: { CRITICAL: null }\n",
    "thresholds",
    { fixable: { CRITICAL: null } },
    /^limit nothing/,
    2,
  ],
  [
    "an impossible date",
    `${VALID}allowlist:\n${ENTRY.replace("2027-03-31", "2027-02-30")}\n`,
    "allowlist[0].expires",
    "2027-02-30",
    /^must be a real date written YYYY-MM-DD$/,
    5,
  ],
  [
    "a date in another format",
    `${VALID}allowlist:\n${ENTRY.replace("2027-03-31", "31/03/2027")}\n`,
    "allowlist[0].expires",
    "31/03/2027",
    /YYYY-MM-DD/,
    5,
  ],
  [
    "a date that is a number",
    `${VALID}allowlist:\n${ENTRY.replace("2027-03-31", "20270331")}\n`,
    "allowlist[0].expires",
    20270331,
    /^must be a date written YYYY-MM-DD$/,
    5,
  ],
  [
    "an entry without owner",
    `${VALID}allowlist:\n${ENTRY.replace(" owner: o,", "")}\n`,
    "allowlist[0].owner",
    undefined,
    /^is required$/,
    5,
  ],
  [
    "an entry with an empty reason",
    `${VALID}allowlist:\n${ENTRY.replace("reason: r", "reason: ''")}\n`,
    "allowlist[0].reason",
    "",
    /^must not be empty$/,
    5,
  ],
  [
    "an id with a space",
    `${VALID}allowlist:\n${ENTRY.replace("CVE-2023-1234", "'CVE 2023'")}\n`,
    "allowlist[0].id",
    "CVE 2023",
    /^must not contain spaces$/,
    5,
  ],
  [
    "an unknown entry key",
    `${VALID}allowlist:\n${ENTRY.replace(" }", ", until: x }")}\n`,
    "allowlist[0].until",
    "x",
    /expected one of: id, reason, owner, expires, repositories/,
    5,
  ],
  [
    "a glob with capitals",
    `${VALID}allowlist:\n${ENTRY.replace(" }", ", repositories: [Payments/*] }")}\n`,
    "allowlist[0].repositories[0]",
    "Payments/*",
    /^may contain only lowercase/,
    5,
  ],
  [
    "a glob with ** inside a segment",
    `${VALID}overrides:\n  - repositories: ["a/**x"]\n`,
    "overrides[0].repositories[0]",
    "a/**x",
    /^'\*\*' must be a whole path segment/,
    5,
  ],
  [
    "a glob with an empty segment",
    `${VALID}overrides:\n  - repositories: ["a//b"]\n`,
    "overrides[0].repositories[0]",
    "a//b",
    /^must not start or end with '\/'/,
    5,
  ],
  [
    "an override glob with a '.' segment",
    `${VALID}overrides:\n  - repositories: ["team/./app"]\n`,
    "overrides[0].repositories[0]",
    "team/./app",
    /^must not contain a '\.' segment/,
    5,
  ],
  [
    "an allowlist scope with a '..' segment",
    `${VALID}allowlist:\n${ENTRY.replace(" }", ', repositories: ["**/../x"] }')}\n`,
    "allowlist[0].repositories[0]",
    "**/../x",
    /^must not contain a '\.\.' segment/,
    5,
  ],
  [
    "an override's allowlist scope with a '.' segment",
    `${VALID}overrides:\n  - repositories: ["team/*"]\n    allowlist:\n  ${ENTRY.replace(" }", ', repositories: ["team/./app"] }')}\n`,
    "overrides[0].allowlist[0].repositories[0]",
    "team/./app",
    /^must not contain a '\.' segment/,
    7,
  ],
  [
    "an override without repositories",
    `${VALID}overrides:\n  - onNewFinding: demote\n`,
    "overrides[0].repositories",
    undefined,
    /^is required$/,
    5,
  ],
  [
    "an override with no globs",
    `${VALID}overrides:\n  - repositories: []\n`,
    "overrides[0].repositories",
    [],
    /^must have at least 1 items$/,
    5,
  ],
  [
    "a bad onNewFinding",
    `${VALID}onNewFinding: block\n`,
    "onNewFinding",
    "block",
    /^must be one of "notify", "demote", or \{ action: demote, afterDays: N \}$/,
    4,
  ],
  [
    "a bad unknownFix",
    `${VALID}unknownFix: maybe\n`,
    "unknownFix",
    "maybe",
    /^must be one of "fixable", "unfixable"$/,
    4,
  ],
  [
    "a zero scan timeout",
    `${VALID}scan: { timeoutMinutes: 0 }\n`,
    "scan.timeoutMinutes",
    0,
    /^must be at least 1$/,
    4,
  ],
  [
    "a scan timeout over a week",
    `${VALID}scan: { timeoutMinutes: 20000 }\n`,
    "scan.timeoutMinutes",
    20000,
    /^must be at most 10080$/,
    4,
  ],
  [
    "negative warning days",
    `${VALID}warnExpiringWithinDays: -3\n`,
    "warnExpiringWithinDays",
    -3,
    /^must be at least 0$/,
    4,
  ],
  [
    "a list instead of a policy",
    "- version: 1\n",
    "",
    [{ version: 1 }],
    /^must be an object, not an array$/,
    1,
  ],
];

describe("parsePolicy: refused policies name the field, the value and the line", () => {
  it.each(INVALID)("%s", (_title, text, field, value, message, line) => {
    const result = parsePolicy(text, "policy.yaml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toHaveLength(1);
    expect(result.error[0]).toMatchObject({ source: "policy.yaml", field, value, line });
    expect(result.error[0]?.message).toMatch(message);
  });

  it.each([
    [
      "YAML's .inf",
      "version: 1\nthresholds:\n  fixable: { CRITICAL: .inf }\n",
      "p.yaml:3:14: thresholds.fixable.CRITICAL: Infinity must be a finite number",
    ],
    [
      "JSON's 1e400",
      '{"version": 1,\n "thresholds": {"fixable": {"HIGH": 1e400}}}',
      "p.yaml:2:29: thresholds.fixable.HIGH: Infinity must be a finite number",
    ],
    [
      "YAML's -.inf",
      "version: 1\nthresholds: { fixable: { HIGH: 0 } }\nscan: { timeoutMinutes: -.inf }\n",
      "p.yaml:3:9: scan.timeoutMinutes: -Infinity must be a finite number",
    ],
  ])("names an infinite number (%s) as such, not as null", (_title, text, line) => {
    const result = parsePolicy(text, "p.yaml");
    const lines = result.ok ? [] : result.error.map(formatPolicyIssue);
    expect(lines).toEqual([expect.stringContaining(line)]);
    expect(lines[0]).not.toMatch(/null|not a number/);
  });

  it("reports every issue, each at its own line and column", () => {
    const text = ["version: 1", "thresholds:", "  fixable: { HIGH: -1, CRTICAL: 0 }", "bogus: 1", ""].join(
      "\n",
    );
    const result = parsePolicy(text, "p.yaml");
    expect(result.ok ? [] : result.error.map(formatPolicyIssue)).toEqual([
      "p.yaml:3:14: thresholds.fixable.HIGH: -1 must be at least 0",
      "p.yaml:3:24: thresholds.fixable.CRTICAL: 0 is not a severity (expected one of: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED)",
      "p.yaml:4:1: bogus: 1 is not a known field (expected one of: version, thresholds, unknownFix, allowlist, unsupportedImages, warnExpiringWithinDays, scan, onNewFinding, overrides, provenance)",
    ]);
  });

  it("takes a provenance requirement and refuses one whose repository is not an https URL, naming the field", () => {
    const base = ["version: 1", "thresholds:", "  fixable: { HIGH: 0 }"];
    const good = parsePolicy(
      [...base, "provenance:", "  required: true", "  sourceRepository: https://github.com/org/app", ""].join(
        "\n",
      ),
      "p.yaml",
    );
    expect(good.ok && good.value.provenance).toEqual({
      required: true,
      sourceRepository: "https://github.com/org/app",
    });
    const bad = parsePolicy(
      [...base, "provenance:", "  required: true", "  sourceRepository: org/app", ""].join("\n"),
      "p.yaml",
    );
    expect(bad.ok ? [] : bad.error.map(formatPolicyIssue)).toEqual([
      expect.stringMatching(
        /^p\.yaml:6:3: provenance\.sourceRepository: "org\/app" must be the repository's https URL/,
      ),
    ]);
  });

  it("gives JSON policies line numbers too", () => {
    const text = '{\n  "version": 1,\n  "thresholds": {\n    "fixable": { "HIGH": -2 }\n  }\n}\n';
    const result = parsePolicy(text);
    expect(result.ok ? undefined : result.error[0]).toMatchObject({
      field: "thresholds.fixable.HIGH",
      line: 4,
      column: 18,
    });
  });

  it("refuses a YAML syntax error with its line", () => {
    const result = parsePolicy("version: 1\nthresholds:\n  fixable: { HIGH: 0\n", "p.yaml");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error[0]?.message).toMatch(/^is not valid YAML\/JSON: /);
      expect(result.error[0]?.line).toBeGreaterThanOrEqual(3);
    }
  });

  it("refuses duplicate keys, which JSON.parse would silently collapse", () => {
    const result = parsePolicy('{"version": 1, "thresholds": {}, "thresholds": {"fixable": {}}}');
    expect(result.ok ? "" : result.error[0]?.message).toMatch(/Map keys must be unique/);
  });

  it("refuses an empty file", () => {
    expect(parsePolicy("  \n").ok ? "" : "refused").toBe("refused");
    const result = parsePolicy("");
    expect(result.ok ? "" : result.error[0]?.message).toMatch(/^is empty/);
  });

  it("refuses alias bombs instead of expanding them", () => {
    const bomb = [
      "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
    ].join("\n");
    const result = parsePolicy(bomb);
    expect(result.ok ? "" : result.error[0]?.message).toMatch(/resource exhaustion/);
  });
});
