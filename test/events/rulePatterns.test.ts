import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import {
  matchesPattern,
  normalizeEvent,
  PortcullisDetailType,
  portcullisEvent,
  RULE_PATTERN_NAMES,
  type RulePatterns,
  rulePatterns,
} from "../../src/events/index.ts";
import { awsSampleFiles, fixture, fixtureFiles, validSample } from "./awsSamples.ts";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const candidate = { region: "eu-central-1", repository: "platform/team/api", digest: DIGEST };
const time = new Date("2026-03-02T10:15:30Z");

/** One built event per Portcullis detail-type. */
const own: Record<string, unknown> = {
  "own:Candidate Registered": portcullisEvent(
    "Candidate Registered",
    { candidate, platforms: [DIGEST] },
    { time },
  ),
  "own:Scan Recorded": portcullisEvent(
    "Scan Recorded",
    {
      candidate,
      platform: DIGEST,
      scanner: "basic",
      status: "COMPLETE",
      counts: { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 },
    },
    { time },
  ),
  "own:Release Decided": portcullisEvent("Release Decided", { candidate, outcome: "passed" }, { time }),
  "own:Image Promoted": portcullisEvent("Image Promoted", { candidate, tags: ["main", "latest"] }, { time }),
  "own:Image Replicated": portcullisEvent(
    "Image Replicated",
    { candidate, region: "us-west-2", digest: DIGEST },
    { time },
  ),
  "own:Replication Failed": portcullisEvent(
    "Replication Failed",
    { candidate, region: "us-west-2", error: "denied" },
    { time },
  ),
  "own:Finding On Promoted Image": portcullisEvent(
    "Finding On Promoted Image",
    { candidate, findingId: "CVE-2024-3094", severity: "CRITICAL", action: "notify" },
    { time },
  ),
  "own:Image Unmonitored": portcullisEvent(
    "Image Unmonitored",
    { candidate, platforms: [DIGEST], since: "2026-03-02T10:15:30.000Z" },
    { time },
  ),
  "own:Release Rolled Back": portcullisEvent(
    "Release Rolled Back",
    { candidate, tags: ["latest"], by: "alice", reason: "p99 doubled" },
    { time },
  ),
};

/** Every event we know: AWS's samples, our fixtures and one of each of our own. */
const corpus: Record<string, unknown> = {
  ...Object.fromEntries(awsSampleFiles().map((file) => [`aws:${file}`, validSample(file)])),
  ...Object.fromEntries(fixtureFiles("valid").map((file) => [`fixture:${file}`, fixture(`valid/${file}`)])),
  ...own,
};

const OWN = Object.keys(own);
const allOwn = [...OWN, "fixture:portcullis.release-decided.json"];

/** For each pattern, exactly the corpus events it must accept (every other one it must reject). */
const unscoped: Record<keyof RulePatterns, string[]> = {
  register: ["fixture:ecr-image-action.push-build-tag.json"],
  gate: [
    "aws:ecr-image-scan.basic.json",
    "aws:inspector2-scan.ecr-userguide.json",
    "fixture:ecr-image-scan.failed-without-counts.json",
    "fixture:ecr-image-scan.nested-repository-multi-tag.json",
    "fixture:inspector2-scan.total-and-untriaged.json",
  ],
  findingChanged: ["aws:inspector2-finding.ecr-image.json", "fixture:inspector2-finding.fixable.json"],
  replication: [
    "aws:ecr-replication-action.failed.json",
    "aws:ecr-replication-action.success.json",
    "fixture:ecr-replication-action.failure.json",
  ],
  build: ["aws:codebuild-build-state-change.json", "fixture:codebuild-build-state-change.batch.json"],
  candidateRegistered: ["own:Candidate Registered"],
  scanRecorded: ["own:Scan Recorded"],
  decided: ["own:Release Decided", "fixture:portcullis.release-decided.json"],
  promoted: ["own:Image Promoted"],
  replicated: ["own:Image Replicated"],
  replicationFailed: ["own:Replication Failed"],
  findingOnPromoted: ["own:Finding On Promoted Image"],
  imageUnmonitored: ["own:Image Unmonitored"],
  rolledBack: ["own:Release Rolled Back"],
  portcullis: allOwn,
};

/** Scoped to our fixtures' repository and build project: AWS's samples (other repositories) drop out. */
const scoped: Record<keyof RulePatterns, string[]> = {
  ...unscoped,
  gate: unscoped.gate.filter((name) => name.startsWith("fixture:")),
  findingChanged: ["fixture:inspector2-finding.fixable.json"],
  replication: ["fixture:ecr-replication-action.failure.json"],
  build: ["fixture:codebuild-build-state-change.batch.json"],
};

function table(accepts: Record<keyof RulePatterns, string[]>) {
  return RULE_PATTERN_NAMES.flatMap((name) =>
    Object.keys(corpus).map((event) => [name, event, accepts[name].includes(event)] as const),
  );
}

describe("rulePatterns() without scoping", () => {
  const patterns = rulePatterns();
  it.each(table(unscoped))("%s on %s → %s", (name, event, expected) => {
    expect(matchesPattern(patterns[name], corpus[event])).toBe(expected);
  });
});

describe("rulePatterns() scoped to repositories and build projects", () => {
  const patterns = rulePatterns({ repositories: ["platform/team/api"], buildProjects: ["portcullis-build"] });
  it.each(table(scoped))("%s on %s → %s", (name, event, expected) => {
    expect(matchesPattern(patterns[name], corpus[event])).toBe(expected);
  });

  it("accepts AWS's Inspector sample (repository ARN) when its repository is listed by name", () => {
    const p = rulePatterns({ repositories: ["amazon/amazon-ecs-sample", "my-repository-name"] });
    expect(matchesPattern(p.gate, validSample("inspector2-scan.ecr-userguide.json"))).toBe(true);
    expect(matchesPattern(p.gate, validSample("ecr-image-scan.basic.json"))).toBe(true);
    expect(matchesPattern(p.findingChanged, validSample("inspector2-finding.ecr-image.json"))).toBe(true);
  });
});

describe("gate scoping by ARN suffix is exact", () => {
  const gate = rulePatterns({ repositories: ["team/app"] }).gate;
  const inspector = (name: string) => {
    const event = validSample("inspector2-scan.ecr-userguide.json") as { detail: Record<string, unknown> };
    return {
      ...event,
      detail: { ...event.detail, "repository-name": `arn:aws:ecr:us-east-2:123456789012:repository/${name}` },
    };
  };
  const ecr = (name: string) => {
    const event = validSample("ecr-image-scan.basic.json") as { detail: Record<string, unknown> };
    return { ...event, detail: { ...event.detail, "repository-name": name } };
  };
  it.each([
    ["team/app", true],
    ["other/team/app", false],
    ["team/app2", false],
    ["xteam/app", false],
    ["team/app/sub", false],
    ["repository/team/app", false],
  ])("Inspector ARN for %s → %s", (name, expected) => {
    expect(matchesPattern(gate, inspector(name))).toBe(expected);
  });
  it.each([
    ["team/app", true],
    ["other/team/app", false],
    ["team/app2", false],
  ])("ECR name %s → %s", (name, expected) => {
    expect(matchesPattern(gate, ecr(name))).toBe(expected);
  });
});

describe("rulePatterns() contract", () => {
  it("routes only events normalizeEvent accepts (no rule delivers what a handler would refuse)", () => {
    const patterns = rulePatterns();
    const routed = Object.keys(corpus).filter((name) =>
      RULE_PATTERN_NAMES.some((p) => matchesPattern(patterns[p], corpus[name])),
    );
    expect(routed.filter((name) => !normalizeEvent(corpus[name]).ok)).toEqual([]);
    expect(Object.keys(corpus).filter((name) => !routed.includes(name))).toEqual([
      "aws:ecr-image-action.delete.json",
      "aws:ecr-image-action.push.json",
      "fixture:ecr-image-action.push-untagged.json",
    ]);
  });

  it("registers only build-tag pushes: the prefix is configurable", () => {
    const pushed = fixture("valid/ecr-image-action.push-build-tag.json");
    expect(matchesPattern(rulePatterns({ buildTagPrefix: "build-" }).register, pushed)).toBe(false);
    expect(matchesPattern(rulePatterns({ buildTagPrefix: "sha-d719" }).register, pushed)).toBe(true);
  });

  it("is plain EventBridge JSON (survives a JSON round trip unchanged)", () => {
    const patterns = rulePatterns({ repositories: ["a/b"], buildProjects: ["p"] });
    expect(JSON.parse(JSON.stringify(patterns))).toEqual(patterns);
  });

  it("names every pattern, one per Portcullis detail-type among them", () => {
    expect(RULE_PATTERN_NAMES).toHaveLength(15);
    const ownTypes: unknown[] = RULE_PATTERN_NAMES.flatMap(
      (n) => rulePatterns()[n]["detail-type"] as unknown[],
    );
    for (const type of Object.values(PortcullisDetailType)) expect(ownTypes).toContain(type);
  });

  it.each([
    [{ repositories: ["Team/App"] }, "repositories[0]"],
    [{ repositories: [] }, "repositories"],
    [{ buildProjects: [] }, "buildProjects"],
    [{ buildProjects: [""] }, "buildProjects[0]"],
    [{ buildTagPrefix: "" }, "buildTagPrefix"],
    [{ buildTagPrefix: "-x" }, "buildTagPrefix"],
  ])("refuses %j, naming %s", (options, field) => {
    try {
      rulePatterns(options);
      expect.unreachable("rulePatterns accepted invalid options");
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.field)).toEqual([field]);
    }
  });
});
