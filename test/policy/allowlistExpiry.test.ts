import { describe, expect, it } from "vitest";
import { allowlistExpiry } from "../../src/policy/index.ts";

describe("allowlistExpiry", () => {
  it.each([
    ["2027-03-31", "2027-04-01T00:00:00.000Z"],
    ["2026-12-31", "2027-01-01T00:00:00.000Z"],
    ["2028-02-29", "2028-03-01T00:00:00.000Z"],
  ])("%s applies until the end of that day UTC (%s)", (expires, end) => {
    expect(allowlistExpiry(expires)?.toISOString()).toBe(end);
  });

  it.each([
    "2027-02-29",
    "2027-13-01",
    "2027-04-31",
    "2027-00-10",
    "2027-3-31",
    "31-03-2027",
    "2027-03-31T00:00:00Z",
    "",
  ])("refuses %j", (expires) => {
    expect(allowlistExpiry(expires)).toBeUndefined();
  });
});
