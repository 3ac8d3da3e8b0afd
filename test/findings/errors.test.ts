import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import { InvalidScanFindingsError, parseScanFindings } from "../../src/findings/index.ts";

describe("InvalidScanFindingsError", () => {
  it("InvalidScanFindingsError names the image and the field", () => {
    const result = parseScanFindings({ imageScanStatus: { status: "DONE" } });
    if (result.ok) throw new Error("expected a refusal");
    const digest = `sha256:${"a".repeat(64)}` as const;
    const error = new InvalidScanFindingsError(result.error, { repository: "payments/api", digest });
    expect(error.message).toMatch(
      /^invalid scan findings for payments\/api@sha256:a{64}:\nimageScanStatus\.status: "DONE" must be one of/,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ repository: "payments/api", digest });
  });
});
