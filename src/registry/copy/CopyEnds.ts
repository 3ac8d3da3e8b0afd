import type { RegistryClient } from "../remote/RegistryClient.ts";

/** The two ends of one copy (client and repository each) and how many requests may be in flight. */
export interface CopyEnds {
  readonly source: RegistryClient;
  readonly sourceRepository: string;
  readonly target: RegistryClient;
  readonly targetRepository: string;
  readonly concurrency: number;
}
