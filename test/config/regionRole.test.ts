import { describe, expect, it } from "vitest";
import { regionRole } from "../../src/config/regionRole.ts";

const config = { primaryRegion: "us-east-1", replicaRegions: ["eu-west-1", "ap-southeast-2"] };

describe("regionRole", () => {
  it.each([
    ["us-east-1", "primary"],
    ["eu-west-1", "replica"],
    ["ap-southeast-2", "replica"],
  ])("gives %s the %s role", (region, role) => {
    expect(regionRole(config, region)).toEqual({ ok: true, value: role });
  });

  it("refuses any other region, naming the configured ones", () => {
    const role = regionRole({ primaryRegion: "us-east-1", replicaRegions: [] }, "eu-central-1");
    expect(!role.ok && role.error[0]).toMatchObject({
      field: "region",
      value: "eu-central-1",
      message: expect.stringMatching(
        /neither primaryRegion \(us-east-1\) nor one of replicaRegions \(none\)/,
      ),
    });
  });
});
