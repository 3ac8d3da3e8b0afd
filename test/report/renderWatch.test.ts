import { describe, expect, it } from "vitest";
import { findingNotification, unmonitoredNotification } from "../../src/handlers/effects/notifications.ts";
import { parseNotificationMessage, renderSlackMessage } from "../../src/notify/index.ts";
import { type PromotedCandidate, watchPromoted } from "../../src/release/index.ts";
import { renderCheckRun } from "../../src/report/index.ts";
import { AMD64, promoted } from "./candidates.ts";

const NOW = new Date("2026-03-10T12:00:00.000Z");
const FINDING = {
  id: "CVE-2026-0001",
  severity: "CRITICAL" as const,
  title: "CVE-2026-0001 - openssl",
  digest: AMD64,
  findingArn: "arn:aws:inspector2:us-east-1:123456789012:finding/abc",
};

function watched(...inputs: Parameters<typeof watchPromoted>[1][]): PromotedCandidate {
  let state = promoted("replicated");
  for (const input of inputs) {
    const next = watchPromoted(state, input);
    if (next.kind === "rejected") throw new Error(JSON.stringify(next.issues));
    state = next.state;
  }
  return state as PromotedCandidate;
}

const graceRunning = () =>
  watched({
    kind: "finding",
    key: "k1",
    now: NOW,
    demoteAt: new Date("2026-03-13T12:00:00.000Z"),
    finding: FINDING,
  });

function slack(body: unknown): string {
  const parsed = parseNotificationMessage(body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return JSON.stringify(renderSlackMessage(parsed.value));
}

describe("a grace period's countdown and the end of monitoring, as reported", () => {
  it("shows the countdown in the check run, counted from the report's time", () => {
    const summary = renderCheckRun({
      candidate: graceRunning(),
      now: new Date("2026-03-11T12:00:00.000Z"),
    }).summary;
    expect(summary).toContain("### ⏳ Demotion in 2 days: 2026-03-13T12:00:00.000Z");
    expect(summary).toContain("`CVE-2026-0001`");
    expect(summary).toMatch(/unless the finding is fixed or allowlisted by then/);
  });

  it("keeps a countdown's deadline when the same countdown is started again, and records a demotion once", () => {
    const state = graceRunning();
    const again = watchPromoted(state, {
      kind: "finding",
      key: "k2",
      now: NOW,
      demoteAt: new Date("2026-04-01T00:00:00.000Z"),
      finding: FINDING,
    });
    expect(again.kind === "changed" && (again.state as PromotedCandidate).watch?.demotion?.at).toBe(
      "2026-03-13T12:00:00.000Z",
    );
    expect(watchPromoted(state, { kind: "finding", key: "k1", now: NOW })).toMatchObject({
      kind: "unchanged",
      reason: "duplicate",
    });
    const demoted = watched({ kind: "demoted", now: NOW });
    expect(watchPromoted(demoted, { kind: "demoted", now: NOW }).kind).toBe("unchanged");
  });

  it("says in the check run that an expired image is no longer monitored, and keeps its demotion", () => {
    const state = watched({ kind: "demoted", now: NOW }, { kind: "unmonitored", now: NOW });
    const summary = renderCheckRun({ candidate: state, now: NOW }).summary;
    expect(summary).toContain("### ⬇️ Demoted 2026-03-10T12:00:00.000Z");
    expect(summary).toContain("### 👁️ No longer monitored since 2026-03-10T12:00:00.000Z");
    expect(summary).toMatch(/closed, not fixed/);
    expect(watchPromoted(state, { kind: "lifted", now: NOW }).kind).toBe("unchanged");
  });

  it("shows the countdown and the end of monitoring in Slack", () => {
    const state = graceRunning();
    const grace = findingNotification(state, FINDING, {
      action: "demote",
      reasons: ["linux/amd64: 1 fixable CRITICAL finding, limit 0"],
      changeKey: "k1",
      grace: { demoteAt: "2026-03-13T12:00:00.000Z", daysLeft: 3 },
    });
    const text = slack(grace.body);
    expect(text).toContain("Demotion in 3 days");
    expect(text).toContain("*Demotion on 2026-03-13T12:00:00.000Z* (3 days left)");
    const gone = slack(unmonitoredNotification(state, [AMD64], NOW.toISOString()).body);
    expect(gone).toContain("No longer monitored");
    expect(gone).toContain("SCAN_ELIGIBILITY_EXPIRED");
  });
});
