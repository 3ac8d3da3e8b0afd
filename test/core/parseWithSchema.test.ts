import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldPath, parseWithSchema } from "../../src/core/parseWithSchema.ts";

const schema = z.strictObject({
  count: z.number().int().nonnegative(),
  name: z.string().min(1),
  kind: z.enum(["a", "b"]),
  items: z.array(z.strictObject({ id: z.string() })).optional(),
});
const valid = { count: 1, name: "x", kind: "a" };

describe("parseWithSchema", () => {
  it("returns the parsed value when the input is valid", () => {
    expect(parseWithSchema(schema, valid)).toEqual({ ok: true, value: valid });
  });

  it.each([
    ["a missing field", { name: "x", kind: "a" }, "count", undefined, "is required"],
    ["a missing enum field", { count: 1, name: "x" }, "kind", undefined, "is required"],
    ["a wrong type", { ...valid, count: "1" }, "count", "1", "must be a number, not a string"],
    ["a fraction", { ...valid, count: 1.5 }, "count", 1.5, "must be a whole number"],
    ["a negative number", { ...valid, count: -1 }, "count", -1, "must be at least 0"],
    [
      "an overflow to infinity (1e400, YAML's .inf)",
      { ...valid, count: JSON.parse("1e400") },
      "count",
      Number.POSITIVE_INFINITY,
      "must be a finite number (YAML's .inf, or a number as large as 1e400, reads as Infinity)",
    ],
    [
      "NaN (YAML's .nan)",
      { ...valid, count: Number.NaN },
      "count",
      Number.NaN,
      "must be a finite number (YAML's .nan reads as NaN)",
    ],
    ["an empty string", { ...valid, name: "" }, "name", "", "must not be empty"],
    ["a value outside the enum", { ...valid, kind: "c" }, "kind", "c", 'must be one of "a", "b"'],
    [
      "a nested unknown key",
      { ...valid, items: [{ id: "1", idd: 2 }] },
      "items[0].idd",
      2,
      "is not a known field",
    ],
  ])("names the field and value for %s", (_title, input, field, value, message) => {
    const result = parseWithSchema(schema, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toEqual([{ field, value, message }]);
  });

  it("reports each unknown key on its own, with the prefix", () => {
    const result = parseWithSchema(schema, { ...valid, x: 1, y: 2 }, "[3]");
    expect(result.ok ? [] : result.error.map((i) => i.field)).toEqual(["[3].x", "[3].y"]);
  });

  it("keeps a schema's own message over the house message", () => {
    const custom = z.strictObject({}, { error: () => "is not allowed here" });
    const result = parseWithSchema(custom, { z: 1 });
    expect(result.ok ? undefined : result.error[0]?.message).toBe("is not allowed here");
  });

  it("joins paths with dots and brackets", () => {
    expect(fieldPath("", ["a", 0, "b"])).toBe("a[0].b");
    expect(fieldPath("[1]", ["imageId", "imageDigest"])).toBe("[1].imageId.imageDigest");
    expect(fieldPath("", [])).toBe("");
  });
});
