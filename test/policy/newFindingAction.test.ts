import { describe, expect, it } from "vitest";
import { formatPolicyIssue, parsePolicy } from "../../src/policy/index.ts";
import { newFindingAction } from "../../src/policy/newFindingAction.ts";

const policy = (onNewFinding: string) =>
  parsePolicy(`version: 1\nthresholds:\n  fixable: { CRITICAL: 0 }\nonNewFinding: ${onNewFinding}\n`);

describe("onNewFinding with a grace period (#11 item 7)", () => {
  it.each([
    ["notify", { action: "notify", afterDays: 0 }],
    ["demote", { action: "demote", afterDays: 0 }],
    ["{ action: demote, afterDays: 7 }", { action: "demote", afterDays: 7 }],
  ])("reads %s", (text, expected) => {
    const parsed = policy(text);
    if (!parsed.ok) throw new Error(parsed.error.map(formatPolicyIssue).join("\n"));
    expect(newFindingAction(parsed.value.onNewFinding)).toEqual(expected);
  });

  it.each([
    ["{ action: notify, afterDays: 7 }", "onNewFinding"],
    ["{ action: demote, afterDays: -1 }", "onNewFinding.afterDays"],
    ["{ action: demote, afterDays: 400 }", "onNewFinding.afterDays"],
    ["{ action: demote, afterDays: 3, when: later }", "onNewFinding.when"],
  ])("refuses %s, naming %s", (text, field) => {
    const parsed = policy(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.map((i) => i.field)).toContain(field);
  });
});
