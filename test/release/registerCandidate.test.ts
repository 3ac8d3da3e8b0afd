import { describe, expect, it } from "vitest";
import { MediaType } from "../../src/core/mediaTypes.ts";
import { emptySeverityCounts } from "../../src/core/severity.ts";
import { readyToDecide } from "../../src/release/readyToDecide.ts";
import { registerCandidate } from "../../src/release/registerCandidate.ts";
import { AMD64, ARM64, COMMIT, INDEX, key, registration, roundTrip, scan, stateOf, T0 } from "./fixtures.ts";

describe("registerCandidate", () => {
  it("creates a scanning candidate at version 1 with its deadline", () => {
    const result = registerCandidate(registration());
    expect(result).toEqual({
      kind: "changed",
      effects: [{ kind: "registered" }],
      state: {
        schema: 1,
        key,
        kind: "index",
        children: registration().children,
        git: { source: "https://github.com/org/app", revision: COMMIT, ref: "refs/heads/main" },
        tags: { build: `sha-${COMMIT}`, promotion: ["main", "latest"] },
        scans: {},
        phase: "scanning",
        registeredAt: "2026-03-01T10:00:00.000Z",
        deadline: "2026-03-01T11:00:00.000Z",
        version: 1,
        seenEvents: [],
      },
    });
    expect(roundTrip(stateOf(result))).toStrictEqual(stateOf(result));
  });

  it("registers a single-platform image whose only child is itself", () => {
    const image = { ...key, digest: AMD64 };
    const child = { digest: AMD64, platform: "linux/amd64", mediaType: MediaType.DockerManifest };
    const state = stateOf(registerCandidate(registration({ key: image, kind: "image", children: [child] })));
    expect(state.kind).toBe("image");
    expect(state.children).toEqual([child]);
  });

  it("uses scans recorded before registration, still at version 1", () => {
    const result = registerCandidate(
      registration({
        earlierScans: [scan(AMD64, "COMPLETE", 1, { counts: { HIGH: 2 } }), scan(ARM64, "IN_PROGRESS", 1)],
      }),
    );
    const state = stateOf(result);
    expect(state.version).toBe(1);
    expect(state.scans[AMD64]).toEqual({
      status: "COMPLETE",
      counts: { ...emptySeverityCounts(), HIGH: 2 },
      scanner: "basic",
      at: "2026-03-01T10:01:00.000Z",
      eventId: `${AMD64.slice(-4)}-COMPLETE-1`,
    });
    expect(state.scans[ARM64]?.status).toBe("IN_PROGRESS");
    expect(readyToDecide(state)).toBe(false);
    expect(result.kind === "changed" && result.effects).toEqual([{ kind: "registered" }]);
  });

  it("is ready at once when every child was scanned before registration", () => {
    const result = registerCandidate(
      registration({ earlierScans: [scan(AMD64, "COMPLETE", 1), scan(ARM64, "COMPLETE", 2)] }),
    );
    expect(readyToDecide(stateOf(result))).toBe(true);
    expect(result.kind === "changed" && result.effects).toEqual([{ kind: "registered" }, { kind: "ready" }]);
  });

  it("keeps the winning earlier scan whatever order the store hands them over", () => {
    const earlier = [scan(AMD64, "IN_PROGRESS", 1), scan(AMD64, "COMPLETE", 3), scan(AMD64, "FAILED", 2)];
    const forward = stateOf(registerCandidate(registration({ earlierScans: earlier })));
    const backward = stateOf(registerCandidate(registration({ earlierScans: [...earlier].reverse() })));
    expect(forward.scans[AMD64]?.status).toBe("COMPLETE");
    expect(backward.scans).toEqual(forward.scans);
  });

  it("reports an earlier scan that does not apply and registers anyway", () => {
    const stray = scan(INDEX, "COMPLETE", 1, { eventId: "stray" });
    const result = registerCandidate(registration({ earlierScans: [stray] }));
    expect(result.kind).toBe("changed");
    expect(result.kind === "changed" && result.effects[1]).toEqual({
      kind: "scan-ignored",
      eventId: "stray",
      issues: [
        { field: "scan.digest", value: INDEX, message: expect.stringContaining("not a platform image") },
      ],
    });
  });

  it("de-duplicates promotion tags", () => {
    const state = stateOf(
      registerCandidate(
        registration({ tags: { build: `sha-${COMMIT}`, promotion: ["main", "main", "latest"] } }),
      ),
    );
    expect(state.tags.promotion).toEqual(["main", "latest"]);
  });

  it.each([
    ["a bad region", { key: { ...key, region: "EU WEST" } }, "key.region"],
    ["a repository with uppercase", { key: { ...key, repository: "Team/App" } }, "key.repository"],
    ["a short digest", { key: { ...key, digest: "sha256:abc" as never } }, "key.digest"],
    ["an unknown kind", { kind: "bundle" as never }, "kind"],
    ["no children", { children: [] }, "children"],
    [
      "an image whose child is another digest",
      { kind: "image" as const, key: { ...key, digest: ARM64 } },
      "children",
    ],
    [
      "a child that is the index",
      { children: [{ ...registration().children[0], digest: INDEX }] as never },
      "children[0].digest",
    ],
    [
      "a child listed twice",
      { children: [registration().children[0], registration().children[0]] as never },
      "children[1].digest",
    ],
    [
      "a child with an index media type",
      { children: [{ digest: AMD64, platform: "linux/amd64", mediaType: MediaType.OciIndex }] },
      "children[0].mediaType",
    ],
    ["a short revision", { git: { revision: "abc" } }, "git.revision"],
    ["a build tag that is not sha-<commit>", { tags: { build: "main", promotion: [] } }, "tags.build"],
    [
      "an invalid promotion tag",
      { tags: { build: `sha-${COMMIT}`, promotion: ["-bad"] } },
      "tags.promotion[0]",
    ],
    ["an invalid date", { now: new Date("nope") }, "now"],
    ["a zero timeout", { timeoutMinutes: 0 }, "timeoutMinutes"],
    ["a fractional timeout", { timeoutMinutes: 1.5 }, "timeoutMinutes"],
    ["a timeout over a week", { timeoutMinutes: 10081 }, "timeoutMinutes"],
  ])("refuses %s, naming %s", (_title, overrides, field) => {
    const result = registerCandidate(registration(overrides));
    expect(result.kind).toBe("rejected");
    expect(result.kind === "rejected" && result.issues.map((issue) => issue.field)).toEqual([field]);
  });

  it("reports every bad field at once", () => {
    const result = registerCandidate(
      registration({ timeoutMinutes: -1, now: new Date(Number.NaN), git: { revision: "x" } }),
    );
    expect(result.kind === "rejected" && result.issues.map((issue) => issue.field)).toEqual([
      "git.revision",
      "now",
      "timeoutMinutes",
    ]);
  });

  it("starts the deadline at registration time", () => {
    const state = stateOf(registerCandidate(registration({ now: T0, timeoutMinutes: 90 })));
    expect(state.deadline).toBe("2026-03-01T11:30:00.000Z");
  });
});
