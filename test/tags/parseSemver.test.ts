import { describe, expect, it } from "vitest";
import { compareRelease, parseSemver } from "../../src/tags/parseSemver.ts";

describe("parseSemver", () => {
  it.each([
    ["1.2.3", { major: 1, minor: 2, patch: 3 }],
    ["v1.2.3", { major: 1, minor: 2, patch: 3 }],
    ["v0.0.0", { major: 0, minor: 0, patch: 0 }],
    ["v1.2.3-rc.1", { major: 1, minor: 2, patch: 3, prerelease: "rc.1" }],
    ["1.2.3+build.5", { major: 1, minor: 2, patch: 3, build: "build.5" }],
    [
      "v10.20.30-alpha-1.beta+exp.sha.5114f85",
      { major: 10, minor: 20, patch: 30, prerelease: "alpha-1.beta", build: "exp.sha.5114f85" },
    ],
  ])("parses %s", (text, expected) => {
    expect(parseSemver(text)).toEqual(expected);
  });

  it.each([
    "1.2",
    "v1",
    "01.2.3",
    "1.02.3",
    "1.2.3-01",
    "1.2.3-",
    "1.2.3+",
    "V1.2.3",
    "vv1.2.3",
    " 1.2.3",
    "1.2.3\n",
    "99999999999999999999.0.0",
    "latest",
  ])("does not take %j for a version", (text) => {
    expect(parseSemver(text)).toBeUndefined();
  });

  it("orders releases by major, minor, then patch", () => {
    const v = (text: string) => parseSemver(text) ?? { major: -1, minor: -1, patch: -1 };
    expect(compareRelease(v("1.10.0"), v("1.9.9"))).toBeGreaterThan(0);
    expect(compareRelease(v("1.2.3"), v("2.0.0"))).toBeLessThan(0);
    expect(compareRelease(v("1.2.3-rc.1"), v("1.2.3"))).toBe(0);
  });
});
