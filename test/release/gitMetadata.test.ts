import { describe, expect, it } from "vitest";
import { gitMetadata } from "../../src/release/gitMetadata.ts";
import { COMMIT } from "./fixtures.ts";

const SOURCE = "org.opencontainers.image.source";
const REVISION = "org.opencontainers.image.revision";
const REF = "org.opencontainers.image.ref.name";

describe("gitMetadata", () => {
  it("reads source, revision and ref from annotations", () => {
    const annotations = {
      [SOURCE]: "https://github.com/org/app",
      [REVISION]: COMMIT,
      [REF]: "refs/heads/main",
    };
    expect(gitMetadata({ annotations })).toEqual({
      ok: true,
      value: { source: "https://github.com/org/app", revision: COMMIT, ref: "refs/heads/main" },
    });
  });

  it("falls back to config labels key by key, annotations winning", () => {
    const annotations = { [SOURCE]: "https://github.com/org/from-annotation", [REF]: "" };
    const labels = {
      [SOURCE]: "https://github.com/org/from-label",
      [REVISION]: COMMIT,
      [REF]: "refs/tags/v1.0.0",
    };
    expect(gitMetadata({ annotations, labels })).toEqual({
      ok: true,
      value: { source: "https://github.com/org/from-annotation", revision: COMMIT, ref: "refs/tags/v1.0.0" },
    });
  });

  it("returns nothing when neither annotations nor labels carry metadata", () => {
    expect(gitMetadata({})).toEqual({ ok: true, value: {} });
    expect(gitMetadata({ annotations: { other: "x" }, labels: {} })).toEqual({ ok: true, value: {} });
  });

  it("lowercases an uppercase revision", () => {
    expect(gitMetadata({ labels: { [REVISION]: COMMIT.toUpperCase() } })).toEqual({
      ok: true,
      value: { revision: COMMIT },
    });
  });

  it.each([
    ["a short revision", { annotations: { [REVISION]: "0123abc" } }, `annotations["${REVISION}"]`, "0123abc"],
    [
      "a non-hex revision",
      { labels: { [REVISION]: "z".repeat(40) } },
      `labels["${REVISION}"]`,
      "z".repeat(40),
    ],
    ["a number", { labels: { [SOURCE]: 42 } }, `labels["${SOURCE}"]`, 42],
    [
      "a newline in the ref",
      { annotations: { [REF]: "main\nINJECTED" } },
      `annotations["${REF}"]`,
      "main\nINJECTED",
    ],
    [
      "a 3000-character source",
      { annotations: { [SOURCE]: "x".repeat(3000) } },
      `annotations["${SOURCE}"]`,
      "x".repeat(3000),
    ],
  ])("refuses %s, naming where it came from", (_title, sources, field, value) => {
    expect(gitMetadata(sources)).toEqual({
      ok: false,
      error: [{ field, value, message: expect.any(String) }],
    });
  });
});
