import { describe, expect, it } from "vitest";
import type { Digest } from "../../src/core/index.ts";
import { mirroredTags } from "../../src/release/mirroredTags.ts";

const OURS = `sha256:${"a".repeat(64)}` as Digest;
const NEWER = `sha256:${"b".repeat(64)}` as Digest;

describe("mirroredTags", () => {
  it.each([
    {
      title: "moves every tag the primary still points at the candidate",
      primary: { "1.2.3": OURS, latest: OURS },
      move: ["1.2.3", "latest"],
      superseded: [],
    },
    {
      title: "leaves a tag a newer promotion took in the primary to that promotion",
      primary: { "1.2.3": OURS, latest: NEWER },
      move: ["1.2.3"],
      superseded: ["latest"],
    },
    {
      title: "leaves a tag the primary no longer has (demoted away) alone",
      primary: { "1.2.3": OURS },
      move: ["1.2.3"],
      superseded: ["latest"],
    },
    {
      title: "moves nothing when every tag moved on",
      primary: {},
      move: [],
      superseded: ["1.2.3", "latest"],
    },
  ])("$title", ({ primary, move, superseded }) => {
    expect(mirroredTags(OURS, ["1.2.3", "latest"], primary)).toEqual({ move, superseded });
  });
});
