import { describe, expect, it } from "vitest";
import { type BuildStateChanged, normalizeEvent } from "../../src/events/index.ts";
import { buildFacts, renderBuildCheckRun, renderCommitStatus } from "../../src/report/index.ts";
import {
  buildEvent,
  COMMIT,
  decidedWith,
  highFinding,
  promoted,
  rejected,
  scanned,
  timedOut,
} from "./candidates.ts";

function normalized(raw: unknown): BuildStateChanged {
  const event = normalizeEvent(raw);
  if (!event.ok || event.value.kind !== "build-state-changed") throw new Error(JSON.stringify(event));
  return event.value;
}

describe("buildFacts", () => {
  it("reads repository, commit, ref and source from the PORTCULLIS_* variables", () => {
    const facts = buildFacts(normalized(buildEvent("IN_PROGRESS")));
    expect(facts).toMatchObject({
      ok: true,
      value: {
        region: "us-west-2",
        repository: "payments/api",
        commit: COMMIT,
        ref: "refs/heads/main",
        source: "https://github.com/octo/shop",
        status: "IN_PROGRESS",
        platform: "linux/arm64",
      },
    });
  });

  it("refuses a build without PORTCULLIS_IMAGE or commit, naming the fields", () => {
    const event = normalized(buildEvent("IN_PROGRESS"));
    const facts = buildFacts({ ...event, environment: {} });
    expect(facts.ok).toBe(false);
    if (!facts.ok)
      expect(facts.error.map((i) => i.field)).toEqual([
        "environment.PORTCULLIS_IMAGE",
        "environment.PORTCULLIS_COMMIT",
      ]);
  });
});

describe("renderBuildCheckRun", () => {
  it("opens an in-progress run keyed by the commit until the index exists", () => {
    const facts = buildFacts(normalized(buildEvent("IN_PROGRESS")));
    if (!facts.ok) throw new Error("bad facts");
    const run = renderBuildCheckRun(facts.value);
    expect(run).toMatchObject({
      name: "Portcullis: payments/api",
      status: "in_progress",
      external_id: `build:${COMMIT}`,
      title: "Building payments/api",
    });
    expect(run.details_url).toMatch(/^https:\/\/console\.aws\.amazon\.com\/cloudwatch/);
  });

  it.each([
    ["FAILED", "failure"],
    ["FAULT", "failure"],
    ["TIMED_OUT", "timed_out"],
    ["STOPPED", "cancelled"],
  ])("completes a %s build as %s", (status, conclusion) => {
    const facts = buildFacts(normalized(buildEvent(status)));
    if (!facts.ok) throw new Error("bad facts");
    expect(renderBuildCheckRun(facts.value)).toMatchObject({ status: "completed", conclusion });
  });
});

describe("renderCommitStatus", () => {
  it.each([
    ["scanning", scanned, "pending", "Waiting for scans: 2 of 2 platforms scanned"],
    ["passed", () => decidedWith([]), "pending", "Passed the gate; promoting"],
    ["rejected", () => rejected(3), "failure", "Rejected: 3 blocking findings"],
    ["timed out", timedOut, "error", "Timed out waiting for scans of linux/arm64"],
    [
      "promoted",
      () => promoted("replicated"),
      "success",
      "Promoted as main, latest; replicated to 2 of 2 regions",
    ],
  ])("%s → %s", (_name, make, state, description) => {
    expect(renderCommitStatus({ candidate: make() })).toEqual({
      state,
      description,
      context: "portcullis/team/app",
    });
  });

  it("says a rollback onto the release, by whom and why, forced or not", () => {
    const rollback = { tags: ["latest"], by: "alice", reason: "p99 up", forced: false, from: {} };
    expect(renderCommitStatus({ candidate: promoted("replicated"), rollback })).toEqual({
      state: "success",
      description: "Rolled back here: latest by alice: p99 up",
      context: "portcullis/team/app",
    });
    const forced = renderCommitStatus({
      candidate: promoted("replicated"),
      rollback: { ...rollback, forced: true, reason: "x".repeat(200) },
    });
    expect(forced.description).toMatch(/^Rolled back here \(forced\): latest by alice: x+…$/);
    expect(forced.description.length).toBe(140);
  });

  it("keeps the description within 140 characters", () => {
    const candidate = decidedWith([highFinding("CVE-1")]);
    const long = { ...candidate, key: { ...candidate.key } };
    const status = renderCommitStatus({ candidate: long, targetUrl: "https://x.test/run" });
    expect(status.target_url).toBe("https://x.test/run");
    const many = renderCommitStatus({
      candidate: {
        ...promoted(),
        promotion: { tags: Array.from({ length: 40 }, (_, i) => `tag-${i}`), at: "2026-03-01T10:11:00.000Z" },
      } as never,
    });
    expect(many.description.length).toBeLessThanOrEqual(140);
    expect(many.description.endsWith("…")).toBe(true);
  });

  it("marks a failed build as failure and links its logs", () => {
    const facts = buildFacts(normalized(buildEvent("FAILED")));
    if (!facts.ok) throw new Error("bad facts");
    expect(renderCommitStatus({ build: facts.value })).toMatchObject({
      state: "failure",
      description: "Build failed",
      context: "portcullis/payments/api",
      target_url: expect.stringMatching(/^https:\/\/console/),
    });
  });
});
