import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initProject, useProject } from "sst/project.js";

let initialized: Promise<void> | undefined;

/**
 * Initializes SST's project once per process (stage "test"): SST's function builder keeps the project object it
 * first sees, so a later initProject's paths (the artifacts folder each synth sets) would never reach it.
 * Each process gets its own output folder: every `new App` removes and rewrites `<out>/types/index.ts`, and
 * test files synthesizing at once in the shared `.sst/` removed each other's file mid-synth (ENOENT).
 */
export function initSstProject(): Promise<void> {
  initialized ??= initProject({ stage: "test" }).then(() => {
    const out = mkdtempSync(join(tmpdir(), "portcullis-sst-"));
    process.once("exit", () => rmSync(out, { recursive: true, force: true }));
    const paths = useProject().paths;
    paths.out = out;
    paths.artifacts = join(out, "artifacts");
  });
  return initialized;
}
