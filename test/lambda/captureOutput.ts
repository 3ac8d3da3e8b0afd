/** Captures what the process writes to stdout and stderr (Powertools writes JSON lines to both). */
export interface CapturedOutput {
  /** Every line written so far. */
  lines(): string[];
  /** Lines that parse as JSON. */
  json(): Record<string, unknown>[];
  restore(): void;
}

/**
 * Starts capturing stdout and stderr; writes still reach nothing else until `restore`.
 * @example const out = captureOutput(); … expect(out.json()).toContainEqual(expect.objectContaining({ level: "ERROR" })); out.restore();
 */
export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
  }
  const lines = () =>
    chunks
      .join("")
      .split("\n")
      .filter((line) => line.length > 0);
  return {
    lines,
    json: () =>
      lines().flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    restore() {
      streams.forEach((stream, i) => {
        stream.write = originals[i] as typeof stream.write;
      });
    },
  };
}
