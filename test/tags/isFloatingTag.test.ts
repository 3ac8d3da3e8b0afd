import { describe, expect, it } from "vitest";
import { isFloatingTag } from "../../src/tags/index.ts";

describe("isFloatingTag", () => {
  it("is true for tags that move between releases and false for those naming one release", () => {
    const tags = [
      "latest",
      "main",
      "release-1",
      "1.2",
      "1",
      "1.2.3",
      "1.2.3-rc.1",
      "1.2.3_build.5",
      `sha-${"a".repeat(40)}`,
    ];
    expect(tags.filter(isFloatingTag)).toEqual(["latest", "main", "release-1", "1.2", "1"]);
  });
});
