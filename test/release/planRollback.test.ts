import { describe, expect, it } from "vitest";
import {
  type Candidate,
  checkRollbackTarget,
  chooseRollback,
  type RollbackFacts,
  type TagHistoryFact,
} from "../../src/release/index.ts";
import { digest, registered } from "./fixtures.ts";

const A = digest(0xa);
const B = digest(0xb);
const C = digest(0xc);

function entry(d: typeof A, minute: number, extra: Partial<TagHistoryFact> = {}): TagHistoryFact {
  return { digest: d, at: `2026-03-01T10:${String(minute).padStart(2, "0")}:00.000Z`, ...extra };
}

/** Two releases: 1.0.0 (A) then 1.1.0 (B); B holds latest, 1 and 1.1; A keeps 1.0.0 and 1.0. */
const facts: RollbackFacts = {
  primaryTags: { latest: B, "1": B, "1.1": B, "1.1.0": B, "1.0": A, "1.0.0": A },
  histories: {
    latest: [entry(A, 0), entry(B, 10)],
    "1": [entry(A, 0), entry(B, 10)],
    "1.1": [entry(B, 10)],
    "1.1.0": [entry(B, 10)],
    "1.0": [entry(A, 0)],
    "1.0.0": [entry(A, 0)],
  },
};

describe("chooseRollback", () => {
  it("moves the floating tags of the current release that held the previous digest, latest first", () => {
    const choice = chooseRollback({ repository: "team/app", to: { kind: "previous" }, force: false }, facts);
    expect(choice).toEqual({
      ok: true,
      value: {
        repository: "team/app",
        tags: ["latest", "1"],
        from: { latest: B, "1": B },
        to: A,
        resolvedPrevious: true,
      },
    });
  });

  it("skips demoted and rolled-back digests when resolving previous", () => {
    const histories = { latest: [entry(C, 0), entry(A, 5, { demotedAt: "x" }), entry(B, 10)] };
    const choice = chooseRollback(
      { repository: "team/app", to: { kind: "previous" }, tags: ["latest"], force: false },
      { primaryTags: { latest: B }, histories },
    );
    expect(choice.ok && choice.value.to).toBe(C);
  });

  it("refuses previous when the tag's head is already a rollback, so running it twice rolls back once", () => {
    const histories = {
      latest: [
        entry(C, 0),
        entry(A, 5),
        entry(B, 10, { rolledBackAt: "t" }),
        entry(A, 20, { cause: "rollback", by: "alice" }),
      ],
    };
    const request = {
      repository: "team/app",
      to: { kind: "previous" } as const,
      tags: ["latest"],
      force: false,
    };
    const refused = chooseRollback(request, { primaryTags: { latest: A }, histories });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error[0]).toMatchObject({ field: "--to", value: "previous" });
    expect(!refused.ok && refused.error[0]?.message).toMatch(/already rolled back to .* by alice/);
    const forced = chooseRollback({ ...request, force: true }, { primaryTags: { latest: A }, histories });
    expect(forced.ok && forced.value.to).toBe(C);
  });

  it("names an unknown tag and a tag Portcullis never moved", () => {
    const choice = chooseRollback(
      { repository: "team/app", to: { kind: "digest", digest: A }, tags: ["nope", "sha-x"], force: false },
      { primaryTags: { ...facts.primaryTags, "sha-x": B }, histories: facts.histories },
    );
    expect(choice).toEqual({
      ok: false,
      error: [
        { field: "--tags", value: "nope", message: "is not a tag of team/app" },
        { field: "--tags", value: "sha-x", message: "was never moved by Portcullis" },
      ],
    });
  });

  it("refuses a repository with nothing promoted, and a tag with no earlier release", () => {
    const empty = chooseRollback(
      { repository: "team/app", to: { kind: "previous" }, force: false },
      { primaryTags: {}, histories: {} },
    );
    expect(!empty.ok && empty.error[0]?.message).toMatch(/no promoted tags/);
    const first = chooseRollback(
      { repository: "team/app", to: { kind: "previous" }, tags: ["1.1"], force: false },
      facts,
    );
    expect(!first.ok && first.error[0]?.message).toMatch(/1\.1 has no earlier release/);
  });
});

describe("checkRollbackTarget", () => {
  const choice = {
    repository: "team/app",
    tags: ["latest"],
    from: { latest: B },
    to: A,
    resolvedPrevious: false,
  };
  const promoted = { ...registered(), phase: "promoted" } as unknown as Candidate;

  it("lets a promoted, passing digest each tag held take the tags", () => {
    expect(
      checkRollbackTarget(choice, facts.histories, { candidate: promoted, passesPolicy: true }, false),
    ).toEqual({
      refusals: [],
      forced: [],
    });
  });

  it("refuses an unknown digest, a failing one and a tag that never held it; --force overrides and reports them", () => {
    const histories = { latest: [entry(B, 10)] };
    const target = {
      candidate: undefined,
      passesPolicy: false,
      policyReasons: ["linux/amd64: 1 fixable CRITICAL finding, limit 0"],
    };
    const refused = checkRollbackTarget(choice, histories, target, false);
    expect(refused.refusals.map((r) => r.message)).toEqual([
      "is not a release Portcullis knows in team/app",
      "no longer passes the policy: linux/amd64: 1 fixable CRITICAL finding, limit 0",
      `never pointed at ${A}`,
    ]);
    expect(refused.forced).toEqual([]);
    const forced = checkRollbackTarget(choice, histories, target, true);
    expect(forced.refusals).toEqual([]);
    expect(forced.forced).toHaveLength(3);
  });

  it("refuses a rejected candidate by its decision", () => {
    const rejected = {
      ...registered(),
      phase: "decided",
      decision: { outcome: "failed", at: "", reasons: [] },
    } as Candidate;
    const { refusals } = checkRollbackTarget(
      choice,
      facts.histories,
      { candidate: rejected, passesPolicy: undefined },
      false,
    );
    expect(refusals).toEqual([
      { field: "--to", value: A, message: "was never promoted (it is decided: failed)", forcible: true },
    ]);
  });
});
