import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Candidate, ScanRecord } from "../release/Candidate.ts";
import { type CandidateIndexingOptions, candidateIndexing } from "./candidateIndexing.ts";
import { DynamoReleaseStore } from "./DynamoReleaseStore.ts";
import type { ReleaseStore } from "./ReleaseStore.ts";

/** The store the handlers use: release candidates, with platform-image scans kept as scan records. */
export type CandidateStore = ReleaseStore<Candidate, ScanRecord>;

/** Options of {@link createReleaseStore}. */
export interface CreateReleaseStoreOptions extends Partial<CandidateIndexingOptions> {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * The release state store on one DynamoDB table, indexed with {@link candidateIndexing}: what the Lambda
 * entry points and the local pipeline hand to the handler factories.
 * @example const store = createReleaseStore({ client: new DynamoDBClient({}), tableName: process.env.TABLE })
 */
export function createReleaseStore(options: CreateReleaseStoreOptions): CandidateStore {
  const { client, tableName, ...indexing } = options;
  return new DynamoReleaseStore<Candidate, ScanRecord>({
    client,
    tableName,
    indexing: candidateIndexing(indexing),
  });
}
