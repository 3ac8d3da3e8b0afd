import { describe, expect, it } from "vitest";
import { findProblems, type RunFacts } from "../../src/local/pipeline/findProblems.ts";

const index = `sha256:${"a".repeat(64)}` as const;
const other = `sha256:${"b".repeat(64)}` as const;
const buildTag = `sha-${"c".repeat(40)}`;

function facts(overrides: Partial<RunFacts> = {}): RunFacts {
  return {
    scenario: { name: "pass", expect: "promoted", policyFile: "policy.yaml" },
    image: {
      repository: "team/app",
      buildTag,
      digest: index,
      commit: "c".repeat(40),
      ref: "refs/heads/main",
      platforms: [],
    },
    decision: { outcome: "passed", reasons: [] },
    promotedTags: ["main"],
    replicas: { "eu-west-1": { status: "replicated", attempts: 1, at: "2026-01-01T00:00:00Z" } },
    regions: [
      { region: "us-east-1", registry: "127.0.0.1:1", tags: { main: index, [buildTag]: index } },
      { region: "eu-west-1", registry: "127.0.0.1:2", tags: { main: index } },
    ],
    finish: "done",
    reconcileRuns: 0,
    published: [],
    reports: [],
    notifications: [],
    deadLetters: [],
    ...overrides,
  };
}

const rejected: Partial<RunFacts> = {
  scenario: { name: "fail", expect: "rejected", policyFile: "policy.yaml" },
  decision: { outcome: "failed", reasons: ["x"] },
  promotedTags: [],
  replicas: {},
  regions: [
    { region: "us-east-1", registry: "127.0.0.1:1", tags: { [buildTag]: index } },
    { region: "eu-west-1", registry: "127.0.0.1:2", tags: {} },
  ],
};

describe("findProblems", () => {
  it.each<[string, Partial<RunFacts>, RegExp[]]>([
    ["a promotion present in every region", {}, []],
    ["a correct rejection", rejected, []],
    [
      "a replica whose tag points elsewhere",
      {
        regions: [facts().regions[0] as never, { region: "eu-west-1", registry: "r", tags: { main: other } }],
      },
      [/eu-west-1 \(r\): main points at sha256:b+, not at the index/],
    ],
    [
      "a replica missing the tag",
      { regions: [facts().regions[0] as never, { region: "eu-west-1", registry: "r", tags: {} }] },
      [/eu-west-1 \(r\): main is missing/],
    ],
    [
      "a rejection that left a tag in the primary",
      {
        ...rejected,
        regions: [{ region: "us-east-1", registry: "p", tags: { [buildTag]: index, main: index } }],
      },
      [/us-east-1 holds tags although nothing was promoted: main/],
    ],
    [
      "a rejection that reached a replica",
      {
        ...rejected,
        regions: [
          rejected.regions?.[0] as never,
          { region: "eu-west-1", registry: "r", tags: { [buildTag]: index } },
        ],
      },
      [/eu-west-1 holds tags although nothing was promoted/],
    ],
    [
      "a pass where a rejection was expected",
      { scenario: { name: "fail", expect: "rejected", policyFile: "p" } },
      [/expects a rejection, but the gate passed/],
    ],
    [
      "a rejection where a promotion was expected",
      { ...rejected, scenario: { name: "pass", expect: "promoted", policyFile: "p" } },
      [/expects a promotion, but the decision was failed/],
    ],
    [
      "a failed replica",
      { replicas: { "eu-west-1": { status: "failed", attempts: 5, error: "ECONNREFUSED", at: "t" } } },
      [/replication to eu-west-1 failed: ECONNREFUSED/],
    ],
    [
      "a dead letter",
      { deadLetters: [{ rule: "gate", event: "ECR Image Scan", error: "boom" }] },
      [/gate gave up on ECR Image Scan: boom/],
    ],
    [
      "no decision",
      { decision: undefined, promotedTags: [], regions: rejected.regions ?? [] },
      [/no decision was published/],
    ],
    [
      "no candidate",
      { finish: "no-candidate", decision: undefined, promotedTags: [], regions: rejected.regions ?? [] },
      [/no candidate was registered/],
    ],
    [
      "an unfinished candidate",
      { finish: "out-of-ticks", reconcileRuns: 15 },
      [/still not finished after 15 reconciler runs/],
    ],
    [
      "a registry that could not be read",
      {
        regions: [
          facts().regions[0] as never,
          { region: "eu-west-1", registry: "r", tags: {}, error: "ECONNREFUSED" },
        ],
      },
      [/eu-west-1 \(r\) could not be read: ECONNREFUSED/],
    ],
    [
      "a rejection whose primary holds the referrers tag of its signed summary",
      {
        ...rejected,
        regions: [
          {
            region: "us-east-1",
            registry: "r",
            tags: { [buildTag]: index, [`sha256-${"a".repeat(64)}`]: other },
          },
          { region: "eu-west-1", registry: "r2", tags: {} },
        ],
      },
      [],
    ],
    [
      "a region where the signed summary does not verify, and one that contradicts the decision",
      {
        attestations: [
          { region: "us-east-1", registry: "r", verified: true, passed: true, command: "c" },
          {
            region: "eu-west-1",
            registry: "r2",
            verified: false,
            passed: false,
            reason: "no Portcullis verification summary refers to x",
            command: "c",
          },
          { region: "ap-southeast-2", registry: "r3", verified: true, passed: false, command: "c" },
        ],
      },
      [
        /eu-west-1 \(r2\): the decision's signed summary does not verify: no Portcullis verification summary refers to x/,
        /ap-southeast-2 \(r3\): the signed summary says FAILED, the decision was passed/,
      ],
    ],
  ])("%s", (_title, overrides, expected) => {
    const problems = findProblems(facts(overrides));
    expect(problems).toHaveLength(expected.length);
    for (const [i, pattern] of expected.entries()) expect(problems[i]).toMatch(pattern);
  });
});
