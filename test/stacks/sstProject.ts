import { initProject } from "sst/project.js";

let initialized: Promise<void> | undefined;

/**
 * Initializes SST's project once per process (stage "test"): SST's function builder keeps the project object it
 * first sees, so a later initProject's paths (the artifacts folder each synth sets) would never reach it.
 */
export function initSstProject(): Promise<void> {
  initialized ??= initProject({ stage: "test" });
  return initialized;
}
