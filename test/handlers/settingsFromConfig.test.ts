import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import { settingsFromConfig } from "../../src/handlers/index.ts";
import { testPolicy } from "./support/harness.ts";

describe("settingsFromConfig", () => {
  it("gates the primary region and the configured repositories, and promotes the configured refs", () => {
    const config = parseConfig({
      primaryRegion: "eu-west-1",
      replicaRegions: ["us-east-1"],
      repositories: [{ name: "team/web" }, { name: "team/api" }],
      github: { owner: "octo-org", repo: "web", branches: ["main", "release"], tagPatterns: ["v*"] },
      scanning: "enhanced",
      tags: { latest: "release", floatingTags: false },
    });
    if (!config.ok) throw new Error(JSON.stringify(config.error));
    const policy = testPolicy();

    expect(settingsFromConfig(config.value, { account: "123456789012", policy })).toEqual({
      account: "123456789012",
      regions: ["eu-west-1"],
      repositories: ["team/web", "team/api"],
      replicaRegions: ["us-east-1"],
      policy,
      tagRules: { defaultBranch: "main", latest: "release", floatingTags: false, majorZeroTag: false },
      refFilter: { branches: ["main", "release"], tagPatterns: ["v*"] },
      scanner: "enhanced",
    });
  });
});
