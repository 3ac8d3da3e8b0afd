import { describe, expect, it } from "vitest";
import { isJsonValue } from "../../src/release/JsonValue.ts";
import { toInstant } from "../../src/release/toInstant.ts";

describe("isJsonValue", () => {
  it.each([
    ["null", null],
    ["a string", "x"],
    ["a nested object", { a: [1, "b", { c: true, d: null }] }],
    ["an object without a prototype", Object.assign(Object.create(null), { a: 1 })],
  ])("accepts %s", (_title, value) => {
    expect(isJsonValue(value)).toBe(true);
  });

  it.each([
    ["undefined", undefined],
    ["an undefined member", { a: undefined }],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
    ["a function", () => 1],
    ["a bigint", 1n],
    ["a 40-level nesting", JSON.parse(`${"[".repeat(40)}${"]".repeat(40)}`)],
  ])("refuses %s, which JSON would not carry unchanged", (_title, value) => {
    expect(isJsonValue(value)).toBe(false);
  });
});

describe("toInstant", () => {
  it.each([
    [new Date("2026-03-01T10:00:00Z"), "2026-03-01T10:00:00.000Z"],
    ["2026-03-01T10:00:00Z", "2026-03-01T10:00:00.000Z"],
    ["2026-03-01T12:00:00.5+02:00", "2026-03-01T10:00:00.500Z"],
  ])("normalises %s to UTC", (value, expected) => {
    expect(toInstant(value, "t")).toEqual({ ok: true, value: expected });
  });

  it.each([["1"], ["2026-03-01"], ["yesterday"], [new Date("x")], [1700000000]])(
    "refuses %j, naming the field",
    (value) => {
      expect(toInstant(value, "detail.time")).toMatchObject({
        ok: false,
        error: [{ field: "detail.time", value }],
      });
    },
  );
});
