import { describe, expect, it } from "vitest";
import { parseTagName } from "../../src/core/tagName.ts";
import { type PromotionTagsInput, promotionTags } from "../../src/tags/promotionTags.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const BUILD = `sha-${COMMIT}`;

function tagsOf(ref: string, extra: Partial<PromotionTagsInput> = {}): string[] {
  const result = promotionTags({ ref, commit: COMMIT, ...extra });
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.error)}`);
  expect(result.value.build).toBe(BUILD);
  for (const tag of [result.value.build, ...result.value.promotion]) expect(parseTagName(tag).ok).toBe(true);
  return result.value.promotion;
}

describe("promotionTags: branches", () => {
  it.each([
    ["refs/heads/main", ["main", "latest"]],
    ["refs/heads/develop", ["develop"]],
    ["refs/heads/feature/login", ["feature-login"]],
    ["refs/heads/feature//double", ["feature-double"]],
    ["refs/heads/Fix_Bug.42", ["Fix_Bug.42"]],
    ["refs/heads/release/v1.2", ["release-v1.2"]],
    ["refs/heads/v1.2", ["v1.2"]],
    ["refs/heads/feature/", ["feature"]],
    ["refs/heads/_underscore", ["_underscore"]],
    ["refs/heads/maintenance", ["maintenance"]],
  ])("%s → %j", (ref, expected) => {
    expect(tagsOf(ref)).toEqual(expected);
  });

  it("reports the ref kind and the name as received", () => {
    expect(promotionTags({ ref: "refs/heads/feature/login", commit: COMMIT })).toEqual({
      ok: true,
      value: { build: BUILD, promotion: ["feature-login"], refKind: "branch", refName: "feature/login" },
    });
  });

  it("gives latest to a configured default branch instead of main", () => {
    expect(tagsOf("refs/heads/trunk", { rules: { defaultBranch: "trunk" } })).toEqual(["trunk", "latest"]);
    expect(tagsOf("refs/heads/main", { rules: { defaultBranch: "trunk" } })).toEqual(["main"]);
  });

  it.each([
    ["default-branch", ["main", "latest"]],
    ["both", ["main", "latest"]],
    ["release", ["main"]],
    ["none", ["main"]],
  ] as const)("with latest=%s the default branch gets %j", (latest, expected) => {
    expect(tagsOf("refs/heads/main", { rules: { latest } })).toEqual(expected);
  });
});

describe("promotionTags: version tags", () => {
  it.each([
    ["refs/tags/v1.2.3", ["1.2.3", "1.2", "1", "latest"]],
    ["refs/tags/1.2.3", ["1.2.3", "1.2", "1", "latest"]],
    ["refs/tags/v10.0.1", ["10.0.1", "10.0", "10", "latest"]],
    ["refs/tags/v1.2.3-rc.1", ["1.2.3-rc.1"]],
    ["refs/tags/v2.0.0-beta", ["2.0.0-beta"]],
    ["refs/tags/v1.2.3+build.5", ["1.2.3_build.5", "1.2.3", "1.2", "1", "latest"]],
    ["refs/tags/v1.2.3-rc.1+exp.sha.5114f85", ["1.2.3-rc.1_exp.sha.5114f85", "1.2.3-rc.1"]],
    ["refs/tags/v0.4.2", ["0.4.2", "0.4", "latest"]],
    ["refs/tags/v0.0.1", ["0.0.1", "0.0", "latest"]],
    ["refs/tags/v0.4.2-alpha", ["0.4.2-alpha"]],
  ])("%s → %j", (ref, expected) => {
    expect(tagsOf(ref)).toEqual(expected);
  });

  it.each([
    ["refs/tags/release-2024", ["release-2024"]],
    ["refs/tags/v1.2", ["v1.2"]],
    ["refs/tags/deploy/prod", ["deploy-prod"]],
  ])("a non-version tag %s is sanitized like a branch → %j", (ref, expected) => {
    expect(tagsOf(ref)).toEqual(expected);
  });

  it("moves a 0 tag for 0.x releases only when majorZeroTag is set", () => {
    expect(tagsOf("refs/tags/v0.4.2", { rules: { majorZeroTag: true } })).toEqual([
      "0.4.2",
      "0.4",
      "0",
      "latest",
    ]);
  });

  it("moves no floating tags when floatingTags is off", () => {
    expect(tagsOf("refs/tags/v1.2.3", { rules: { floatingTags: false } })).toEqual(["1.2.3", "latest"]);
  });

  it.each([
    ["both", ["1.2.3", "1.2", "1", "latest"]],
    ["release", ["1.2.3", "1.2", "1", "latest"]],
    ["default-branch", ["1.2.3", "1.2", "1"]],
    ["none", ["1.2.3", "1.2", "1"]],
  ] as const)("with latest=%s a release gets %j", (latest, expected) => {
    expect(tagsOf("refs/tags/v1.2.3", { rules: { latest } })).toEqual(expected);
  });

  it("never gives latest to a prerelease, whatever the rules", () => {
    expect(tagsOf("refs/tags/v3.0.0-rc.1", { rules: { latest: "release" } })).toEqual(["3.0.0-rc.1"]);
  });
});

describe("promotionTags: floating tags only move forward when existing tags are known", () => {
  const existingTags = [
    "1.2.5",
    "1.3.0",
    "2.0.0",
    "2.1.0-rc.1",
    "latest",
    "main",
    "sha-abc",
    "1.2",
    "1",
    "2",
  ];

  it.each([
    ["a patch of an old minor moves only its exact tag", "refs/tags/v1.2.4", ["1.2.4"]],
    ["the newest patch of an old minor moves its minor", "refs/tags/v1.2.6", ["1.2.6", "1.2"]],
    ["the newest minor of an old major moves minor and major", "refs/tags/v1.4.0", ["1.4.0", "1.4", "1"]],
    ["the newest release moves everything", "refs/tags/v2.0.1", ["2.0.1", "2.0", "2", "latest"]],
    [
      "re-releasing the newest version moves everything again",
      "refs/tags/v2.0.0",
      ["2.0.0", "2.0", "2", "latest"],
    ],
    [
      "prereleases in the repository do not hold back a release",
      "refs/tags/v2.1.0",
      ["2.1.0", "2.1", "2", "latest"],
    ],
  ])("%s", (_title, ref, expected) => {
    expect(tagsOf(ref, { existingTags })).toEqual(expected);
  });

  it("reads build-metadata tags (3.0.1_build.7) as versions, so an older 3.0.0 moves nothing floating", () => {
    expect(tagsOf("refs/tags/v3.0.0", { existingTags: ["3.0.1_build.7"] })).toEqual(["3.0.0"]);
  });
});

describe("promotionTags: hostile ref names", () => {
  const long = "x".repeat(300);
  it.each([
    ["shell substitution", "refs/heads/$(rm -rf /)", ["rm-rf"]],
    ["backticks", "refs/heads/`id`", ["id"]],
    ["quotes", `refs/heads/"it's"`, ["it-s"]],
    ["semicolons and pipes", "refs/heads/a;b|c&&d", ["a-b-c-d"]],
    ["redirections and globs", "refs/heads/x>/etc/passwd*", ["x-etc-passwd"]],
    ["unicode letters", "refs/heads/héllo/wörld", ["h-llo-w-rld"]],
    ["an emoji", "refs/heads/🚀rocket", ["rocket"]],
    ["a right-to-left override", "refs/heads/abc\u202Etxt.exe", ["abc-txt.exe"]],
    ["dot segments", "refs/heads/a/../b", ["a-.-b"]],
    ["leading dots and dashes", "refs/heads/.-.-hidden", ["hidden"]],
    ["a tag with spaces", "refs/tags/my release", ["my-release"]],
  ])("%s: %j → %j", (_title, ref, expected) => {
    expect(tagsOf(ref)).toEqual(expected);
  });

  it("truncates a 300-character name to 128 characters, keeping long names apart with a hash", () => {
    const [a] = tagsOf(`refs/heads/${long}a`);
    const [b] = tagsOf(`refs/heads/${long}b`);
    expect(a).toHaveLength(128);
    expect(a).toMatch(/^x{119}-[0-9a-f]{8}$/);
    expect(b).toHaveLength(128);
    expect(a).not.toBe(b);
  });

  it.each([
    ["only dashes", "refs/heads/----", /no characters usable/],
    ["only dots", "refs/heads/..", /no characters usable/],
    ["only unicode", "refs/heads/日本語", /no characters usable/],
    ["only shell metacharacters", "refs/heads/$()`;|&", /no characters usable/],
    ["a newline", "refs/heads/main\nlatest", /control characters/],
    ["a branch named latest", "refs/heads/latest", /reserved tag "latest"/],
    ["a branch named LATEST", "refs/heads/LATEST", /reserved tag "LATEST"/],
    ["a branch that looks like a minor version", "refs/heads/1.2", /reserved tag "1.2"/],
    ["a branch that looks like a version", "refs/heads/1.2.3", /reserved tag "1.2.3"/],
    ["a branch that looks like a build tag", `refs/heads/sha-${COMMIT}`, /reserved tag "sha-/],
    ["a tag that looks like a minor version", "refs/tags/1.2", /reserved tag "1.2"/],
    ["a pull-request ref", "refs/pull/7/head", /pull-request ref/],
    ["a bare branch name", "main", /must be a full ref/],
  ])("refuses %s, naming the ref", (_title, ref, message) => {
    const result = promotionTags({ ref, commit: COMMIT });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual([{ field: "ref", value: ref, message: expect.stringMatching(message) }]);
  });

  it("refuses a version whose tag would exceed 128 characters instead of truncating it", () => {
    const ref = `refs/tags/v1.2.3-${"a".repeat(130)}`;
    expect(promotionTags({ ref, commit: COMMIT })).toMatchObject({
      ok: false,
      error: [{ field: "ref", value: ref, message: expect.stringContaining("longer than 128") }],
    });
  });

  it("refuses an unknown latest policy, naming the rule", () => {
    expect(
      promotionTags({ ref: "refs/heads/main", commit: COMMIT, rules: { latest: "sometimes" as never } }),
    ).toMatchObject({
      ok: false,
      error: [{ field: "rules.latest", value: "sometimes" }],
    });
  });

  it("refuses a bad commit before looking at the ref", () => {
    expect(promotionTags({ ref: "refs/heads/main", commit: "abc" })).toMatchObject({
      ok: false,
      error: [{ field: "commit", value: "abc" }],
    });
  });
});
