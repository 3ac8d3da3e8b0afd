import { describe, expect, it } from "vitest";
import { MediaType } from "../../src/core/mediaTypes.ts";
import type { Candidate } from "../../src/release/Candidate.ts";
import { decide } from "../../src/release/decide.ts";
import { markPromoted } from "../../src/release/markPromoted.ts";
import { nextAction } from "../../src/release/nextAction.ts";
import { platformChildren } from "../../src/release/platformChildren.ts";
import { recordReplication } from "../../src/release/recordReplication.ts";
import { recordScan } from "../../src/release/recordScan.ts";
import { registerCandidate } from "../../src/release/registerCandidate.ts";
import type { Transition } from "../../src/release/Transition.ts";
import { promotionTags } from "../../src/tags/promotionTags.ts";
import { AMD64, ARM64, ATTESTATION, at, COMMIT, key, registration, roundTrip, scan } from "./fixtures.ts";

/** Applies a transition the way a store does: JSON round trip, version exactly one more when changed. */
function apply(state: Candidate | undefined, transition: Transition): Candidate {
  if (transition.kind === "rejected") throw new Error(JSON.stringify(transition.issues));
  if (transition.kind === "changed") {
    expect(transition.state.version).toBe((state?.version ?? 0) + 1);
    const stored = roundTrip(transition.state);
    expect(stored).toStrictEqual(transition.state);
    return stored;
  }
  expect(transition.state).toBe(state);
  return transition.state;
}

describe("a release from push to replication", () => {
  it("takes a buildx index through scans, a pass, promotion and replication, each step one version", () => {
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [
        {
          mediaType: MediaType.OciManifest,
          digest: AMD64,
          size: 1,
          platform: { os: "linux", architecture: "amd64" },
        },
        {
          mediaType: MediaType.OciManifest,
          digest: ARM64,
          size: 1,
          platform: { os: "linux", architecture: "arm64" },
        },
        {
          mediaType: MediaType.OciManifest,
          digest: ATTESTATION,
          size: 1,
          platform: { os: "unknown", architecture: "unknown" },
          annotations: { "vnd.docker.reference.type": "attestation-manifest" },
        },
      ],
    };
    const children = platformChildren(index, MediaType.OciIndex);
    const tags = promotionTags({ ref: "refs/tags/v1.4.0", commit: COMMIT });
    if (!children.ok || !tags.ok) throw new Error("fixtures must parse");

    let state = apply(
      undefined,
      registerCandidate(
        registration({
          children: children.value,
          tags: tags.value,
          earlierScans: [scan(ARM64, "IN_PROGRESS", 0)],
        }),
      ),
    );
    expect(state.version).toBe(1);
    state = apply(state, recordScan(state, scan(AMD64, "COMPLETE", 2)));
    state = apply(state, recordScan(state, scan(AMD64, "COMPLETE", 2))); // redelivered
    expect(nextAction(state, at(3))).toMatchObject({ kind: "wait", waiting: [ARM64] });
    state = apply(state, recordScan(state, scan(ARM64, "COMPLETE", 4)));
    expect(nextAction(state, at(4))).toEqual({ kind: "evaluate" });
    state = apply(state, decide(state, { outcome: "passed", reasons: { blocked: [] }, now: at(5) }));
    state = apply(state, decide(state, { outcome: "passed", reasons: { blocked: [] }, now: at(5) })); // raced
    expect(nextAction(state, at(5))).toEqual({ kind: "promote", tags: ["1.4.0", "1.4", "1", "latest"] });
    state = apply(
      state,
      markPromoted(state, { tags: ["1.4.0", "1.4", "1", "latest"], now: at(6), replicateTo: ["eu-west-1"] }),
    );
    state = apply(
      state,
      recordReplication(state, { region: "eu-west-1", outcome: "failed", error: "throttled", now: at(7) }),
    );
    state = apply(
      state,
      recordReplication(state, { region: "eu-west-1", outcome: "replicated", now: at(8) }),
    );
    expect(nextAction(state, at(8))).toEqual({ kind: "done", outcome: "passed", failedRegions: [] });
    expect(state.version).toBe(7);
    expect(state).toMatchObject({ phase: "promoted", decision: { outcome: "passed" }, key });
  });

  it("gates a single-platform image (a plain manifest, no index) the same way", () => {
    const manifest = { schemaVersion: 2, mediaType: MediaType.DockerManifest, config: {}, layers: [] };
    const children = platformChildren(manifest, MediaType.DockerManifest, {
      digest: AMD64,
      config: { os: "linux", architecture: "amd64" },
    });
    if (!children.ok) throw new Error("fixture must parse");
    let state = apply(
      undefined,
      registerCandidate(
        registration({ key: { ...key, digest: AMD64 }, kind: "image", children: children.value }),
      ),
    );
    expect(nextAction(state, at(1))).toEqual({ kind: "wait", until: at(60).toISOString(), waiting: [AMD64] });
    state = apply(state, recordScan(state, scan(AMD64, "COMPLETE", 2, { counts: { CRITICAL: 1 } })));
    expect(nextAction(state, at(2))).toEqual({ kind: "evaluate" });
    state = apply(
      state,
      decide(state, { outcome: "failed", reasons: { blocked: ["CVE-2026-1"] }, now: at(3) }),
    );
    expect(markPromoted(state, { tags: ["main"], now: at(4) }).kind).toBe("rejected");
    expect(nextAction(state, at(4))).toEqual({ kind: "done", outcome: "failed", failedRegions: [] });
    expect(state.version).toBe(3);
  });
});
