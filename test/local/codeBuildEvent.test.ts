import { describe, expect, it } from "vitest";
import { matchesPattern, normalizeEvent, rulePatterns } from "../../src/events/index.ts";
import { codeBuildEvent, newBuildId } from "../../src/local/build/codeBuildEvent.ts";
import { buildFacts } from "../../src/report/index.ts";

const image = {
  repository: "portcullis/example-app",
  tag: `sha-${"c".repeat(40)}`,
  digest: `sha256:${"a".repeat(64)}` as const,
  git: {
    commit: "c".repeat(40),
    ref: "refs/heads/main",
    source: "https://github.com/octo/shop",
    fromGit: true,
  },
};

describe("codeBuildEvent", () => {
  it("emits a build state change the shared contract accepts and the report reads its build from", () => {
    const event = codeBuildEvent({
      account: "000000000000",
      region: "us-east-1",
      imageName: "127.0.0.1:5000/portcullis/example-app",
      image,
      buildId: newBuildId("us-east-1", "000000000000"),
      status: "IN_PROGRESS",
      time: new Date("2026-01-01T00:00:00Z"),
    });
    expect(matchesPattern(rulePatterns().build, event)).toBe(true);
    const normalized = normalizeEvent(event);
    if (!normalized.ok || normalized.value.kind !== "build-state-changed")
      throw new Error("not a build event");
    const facts = buildFacts(normalized.value);
    expect(facts.ok && facts.value).toMatchObject({
      repository: "portcullis/example-app",
      commit: image.git.commit,
      ref: "refs/heads/main",
      source: "https://github.com/octo/shop",
      status: "IN_PROGRESS",
      project: "portcullis-local",
    });
  });
});
