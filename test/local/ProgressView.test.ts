import { describe, expect, it } from "vitest";
import { formatDuration, ProgressView } from "../../src/local/progress/ProgressView.ts";

function clock() {
  let now = 0;
  return { now: () => now, set: (ms: number) => (now = ms) };
}

describe("ProgressView", () => {
  it("prints one line per finished stage when not on a terminal, with its duration", () => {
    let out = "";
    const time = clock();
    const view = new ProgressView({ write: (text) => (out += text), tty: false, now: time.now });
    view.start("build", "build (buildah)", "linux/amd64 + linux/arm64");
    time.set(3200);
    view.note("build", "still building");
    expect(out).toBe("");
    view.done("build", "sha256:abc");
    view.add("promote", "promote");
    view.skipped("promote", "rejected: nothing promoted");
    expect(out.split("\n")).toEqual([
      `✓ ${"build (buildah)".padEnd(30)}    3.2s  sha256:abc`,
      `– ${"promote".padEnd(30)}     0ms  rejected: nothing promoted`,
      "",
    ]);
  });

  it("redraws every stage in place on a terminal, cutting lines to its width", () => {
    const writes: string[] = [];
    const time = clock();
    const view = new ProgressView({
      write: (text) => writes.push(text),
      tty: true,
      columns: 50,
      now: time.now,
    });
    view.start("a", "first", "x".repeat(80));
    view.start("b", "second");
    time.set(50);
    view.failed("b", "boom");
    view.close();
    const last = writes.at(-1) ?? "";
    expect(last.startsWith("\x1b[2A")).toBe(true);
    const clear = "\r\x1b[2K";
    const lines = last.slice("\x1b[2A".length).split("\n").filter(Boolean);
    expect(lines.map((line) => line.startsWith(clear))).toEqual([true, true]);
    const [first = "", second = ""] = lines.map((line) => line.slice(clear.length));
    expect(first).toMatch(/^› first/);
    expect([...first].length).toBeLessThanOrEqual(49);
    expect(second).toMatch(/^✗ second +50ms {2}boom$/);
  });

  it.each([
    [850, "850ms"],
    [3249, "3.2s"],
    [65_000, "1m05s"],
  ])("formats %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
