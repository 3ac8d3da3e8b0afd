import { describe, expect, it } from "vitest";
import { type EventPattern, matchesPattern, PatternError, wildcardPattern } from "../../src/events/index.ts";

/** The event from EventBridge's documentation examples, plus a few shapes the rules below need. */
const event = {
  version: "0",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  time: "2017-10-02T16:24:49Z",
  region: "us-east-1",
  resources: [
    "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b",
    "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
  ],
  detail: {
    state: "running",
    "c-count": 5,
    "x-limit": 301.8,
    "d-count": "3",
    eventVersion: "",
    responseElements: null,
    nested: { c1: 100 },
    tags: [],
    employees: [
      { firstName: "John", lastName: "Doe" },
      { firstName: "Anna", lastName: "Smith" },
    ],
    matrix: [[{ id: "a" }], [{ id: "b" }]],
    path: "/usr/lib/libssl.so",
  },
};

/** [rule, pattern, matches?] — each row one documented behaviour. */
const rows: [string, EventPattern, boolean][] = [
  ["exact value", { source: ["aws.ec2"] }, true],
  ["exact value is case-sensitive", { source: ["AWS.EC2"] }, false],
  ["values in a leaf array are ORed", { detail: { state: ["initializing", "running"] } }, true],
  ["fields are ANDed", { source: ["aws.ec2"], detail: { state: ["stopped"] } }, false],
  [
    "an event array matches when any element does",
    { resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"] },
    true,
  ],
  [
    "an event array matches when no element does: no",
    { resources: ["arn:aws:ec2:us-east-1:1:instance/x"] },
    false,
  ],
  ["a field missing from the event does not match", { detail: { missing: ["x"] } }, false],
  ["a missing parent object does not match", { nothere: { state: ["running"] } }, false],
  ["numbers match numbers", { detail: { "c-count": [5] } }, true],
  ["a number does not match its string", { detail: { "d-count": [3] } }, false],
  ["a string does not match its number", { detail: { "c-count": ["5"] } }, false],
  ["empty string matches only the empty string", { detail: { eventVersion: [""] } }, true],
  ["null matches null", { detail: { responseElements: [null] } }, true],
  ["empty string does not match null", { detail: { responseElements: [""] } }, false],
  ["prefix", { time: [{ prefix: "2017-10-02" }] }, true],
  ["prefix on a non-matching string", { time: [{ prefix: "2018" }] }, false],
  ["prefix ignores numbers", { detail: { "c-count": [{ prefix: "5" }] } }, false],
  ["prefix with equals-ignore-case", { source: [{ prefix: { "equals-ignore-case": "AWS." } }] }, true],
  ["suffix", { source: [{ suffix: "ec2" }] }, true],
  ["suffix on an array element", { resources: [{ suffix: "/i-b188560f" }] }, true],
  ["suffix with equals-ignore-case", { source: [{ suffix: { "equals-ignore-case": "EC2" } }] }, true],
  ["equals-ignore-case", { detail: { state: [{ "equals-ignore-case": "RUNNING" }] } }, true],
  ["wildcard", { detail: { path: [{ wildcard: "*/lib/*" }] } }, true],
  ["wildcard is anchored", { detail: { path: [{ wildcard: "lib/*" }] } }, false],
  ["anything-but a value", { detail: { state: [{ "anything-but": "initializing" }] } }, true],
  ["anything-but the value itself", { detail: { state: [{ "anything-but": "running" }] } }, false],
  ["anything-but a list", { detail: { state: [{ "anything-but": ["stopped", "running"] }] } }, false],
  ["anything-but a number", { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } }, true],
  ["anything-but a prefix", { detail: { state: [{ "anything-but": { prefix: "init" } }] } }, true],
  [
    "anything-but a prefix that matches",
    { detail: { state: [{ "anything-but": { prefix: "run" } }] } },
    false,
  ],
  ["anything-but a suffix", { detail: { path: [{ "anything-but": { suffix: ".png" } }] } }, true],
  ["anything-but a wildcard", { detail: { path: [{ "anything-but": { wildcard: "*/lib/*" } }] } }, false],
  [
    "anything-but ignoring case",
    { detail: { state: [{ "anything-but": { "equals-ignore-case": "RUNNING" } }] } },
    false,
  ],
  ["anything-but needs the field present", { detail: { missing: [{ "anything-but": "x" }] } }, false],
  [
    "anything-but on an array: some element is not excluded",
    { resources: [{ "anything-but": { prefix: "arn:aws:ec2" } }] },
    true,
  ],
  ["numeric range", { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } }, true],
  ["numeric range missed", { detail: { "c-count": [{ numeric: ["<", 5] }] } }, false],
  [
    "numeric equality across notations (3.018e2)",
    { detail: { "x-limit": [{ numeric: ["=", 3.018e2] }] } },
    true,
  ],
  ["numeric ignores strings", { detail: { "d-count": [{ numeric: ["=", 3] }] } }, false],
  ["exists true on a present leaf", { detail: { state: [{ exists: true }] } }, true],
  [
    "exists true on a null leaf (null is a value)",
    { detail: { responseElements: [{ exists: true }] } },
    true,
  ],
  ["exists false on a missing field", { detail: { missing: [{ exists: false }] } }, true],
  ["exists false on a present leaf", { detail: { state: [{ exists: false }] } }, false],
  ["exists false under a missing parent", { nothere: { deeper: [{ exists: false }] } }, true],
  [
    "exists works on leaves only: an object counts as absent",
    { detail: { nested: [{ exists: false }] } },
    true,
  ],
  ["an empty array has no leaves: exists false", { detail: { tags: [{ exists: false }] } }, true],
  ["an empty array has no leaves: exists true fails", { detail: { tags: [{ exists: true }] } }, false],
  [
    "a nested pattern matches an object inside an array",
    { detail: { employees: { firstName: ["Anna"] } } },
    true,
  ],
  [
    "array consistency: two fields must come from the same element",
    { detail: { employees: { firstName: ["Anna"], lastName: ["Doe"] } } },
    false,
  ],
  [
    "array consistency: same element",
    { detail: { employees: { firstName: ["Anna"], lastName: ["Smith"] } } },
    true,
  ],
  ["arrays of arrays are crushed", { detail: { matrix: { id: ["b"] } } }, true],
  ["$or: any alternative", { $or: [{ source: ["aws.s3"] }, { detail: { state: ["running"] } }] }, true],
  ["$or: no alternative", { $or: [{ source: ["aws.s3"] }, { detail: { state: ["stopped"] } }] }, false],
  ["$or inside detail", { detail: { $or: [{ state: ["x"] }, { "c-count": [5] }] } }, true],
];

describe("matchesPattern follows EventBridge's documented matching rules", () => {
  it.each(rows)("%s", (_rule, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it("matches nothing but the pattern's fields: an empty pattern matches any object", () => {
    expect(matchesPattern({}, event)).toBe(true);
  });

  it.each([
    ["an unsupported operator", { detail: { ip: [{ cidr: "10.0.0.0/24" }] } }],
    ["an empty matcher list", { source: [] }],
    ["a leaf that is not an array", { source: "aws.ec2" } as unknown as EventPattern],
    ["two operators in one matcher", { source: [{ prefix: "a", suffix: "b" }] } as unknown as EventPattern],
    ["a non-boolean exists", { source: [{ exists: "yes" }] } as unknown as EventPattern],
    ["a malformed numeric", { detail: { "c-count": [{ numeric: [">"] }] } } as unknown as EventPattern],
  ])("throws PatternError for %s instead of silently not matching", (_title, pattern) => {
    expect(() =>
      matchesPattern(pattern as EventPattern, {
        source: "aws.ec2",
        detail: { ip: "10.0.0.1", "c-count": 5 },
      }),
    ).toThrow(PatternError);
  });
});

describe("wildcardPattern", () => {
  it.each([
    ["Simple*Service", "SimpleQueueService", true],
    ["Simple*Service", "SimpleService", true],
    ["Simple*Service", "SimpleQueueServices", false],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["a\\\\b", "a\\b", true],
    ["repo/*.txt", "repo/x.txt", true],
    ["repo/*.txt", "repo/xytxt", false],
  ])("%s against %s → %s", (wildcard, value, expected) => {
    expect(wildcardPattern(wildcard).test(value)).toBe(expected);
  });

  it("refuses consecutive * and escapes of other characters, as EventBridge does", () => {
    expect(() => wildcardPattern("a**b")).toThrow(PatternError);
    expect(() => wildcardPattern("a\\nb")).toThrow(PatternError);
  });
});
