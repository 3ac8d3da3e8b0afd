import type { RegistryDirectory } from "../handlers/ports.ts";
import type { CandidateStore, ReleaseCatalog } from "../store/index.ts";

/** What the operator's reads need: the state table, the catalog over it, and every region's registry. */
export interface OperatorPorts {
  readonly store: Pick<CandidateStore, "getCandidate" | "getTagHistory">;
  readonly catalog: ReleaseCatalog;
  readonly registry: RegistryDirectory;
  readonly settings: {
    /** The primary region first. */
    readonly regions: readonly string[];
    readonly replicaRegions: readonly string[];
    readonly repositories: readonly string[];
    readonly maxReplicationAttempts: number;
    readonly replicationRetryMinutes: number;
  };
  readonly clock: { now(): Date };
}
