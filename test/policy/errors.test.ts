import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import { InvalidPolicyError, parsePolicy } from "../../src/policy/index.ts";

describe("InvalidPolicyError", () => {
  it("InvalidPolicyError lists every issue with file:line:column and keeps them as data", () => {
    const result = parsePolicy("version: 1\nthresholds: { fixable: { HIGH: -1 } }\n", "policy.yaml");
    if (result.ok) throw new Error("expected a refusal");
    const error = new InvalidPolicyError(result.error, "policy.yaml");
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      "invalid policy policy.yaml:\npolicy.yaml:2:26: thresholds.fixable.HIGH: -1 must be at least 0",
    );
    expect(error.issues[0]).toMatchObject({ line: 2, column: 26 });
    expect(error.source).toBe("policy.yaml");
  });
});
