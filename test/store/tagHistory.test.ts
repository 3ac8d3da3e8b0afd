import { describe, expect, it } from "vitest";
import { headOf, type TagHistoryEntry, withPromotion, withRollback } from "../../src/store/index.ts";
import { digest } from "../release/fixtures.ts";

const A = digest(0xa);
const B = digest(0xb);
const note = { by: "alice", reason: "p99 latency doubled" };

describe("withRollback", () => {
  const promoted: TagHistoryEntry[] = [
    { digest: A, at: "t1" },
    { digest: B, at: "t2" },
  ];

  it("appends who and why, marks the digest it leaves, and makes the target the head", () => {
    const next = withRollback(promoted, A, "t3", note);
    expect(next).toEqual([
      { digest: A, at: "t1" },
      { digest: B, at: "t2", rolledBackAt: "t3" },
      { digest: A, at: "t3", cause: "rollback", by: "alice", reason: "p99 latency doubled" },
    ]);
    expect(headOf(next ?? [])).toBe(A);
  });

  it("changes nothing when repeated", () => {
    const once = withRollback(promoted, A, "t3", note) ?? [];
    expect(withRollback(once, A, "t4", note)).toBeUndefined();
  });

  it("keeps a late promotion of the rolled-back release from taking the tag back", () => {
    const once = withRollback(promoted, A, "t3", note) ?? [];
    expect(withPromotion(once, B, "t4")).toBeUndefined();
    expect(withPromotion(once, digest(0xc), "t4")?.at(-1)).toEqual({ digest: digest(0xc), at: "t4" });
  });

  it("rolling forward to a rolled-back digest clears its mark and records forced", () => {
    const back = withRollback(promoted, A, "t3", note) ?? [];
    const forward = withRollback(back, B, "t4", { ...note, forced: true }) ?? [];
    expect(forward.filter((e) => e.digest === B)).toEqual([
      { digest: B, at: "t2" },
      { digest: B, at: "t4", cause: "rollback", by: "alice", reason: note.reason, forced: true },
    ]);
    expect(headOf(forward)).toBe(B);
  });
});
