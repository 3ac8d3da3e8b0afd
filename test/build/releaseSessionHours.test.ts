import { describe, expect, it } from "vitest";
import { releaseSessionHours } from "../../src/build/releaseSessionHours.ts";

describe("releaseSessionHours", () => {
  it.each([
    [5, 2],
    [60, 2],
    [91, 3],
    [600, 11],
    [2160, 12],
  ])("lets a session outlast a %i-minute build: %i h", (minutes, hours) => {
    expect(releaseSessionHours(minutes)).toBe(hours);
  });
});
