import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Candidate } from "../release/Candidate.ts";
import { DynamoTable } from "./DynamoTable.ts";
import { type RepositoryKey, repositoryPk, STATE_SK, TAG_PREFIX } from "./keys.ts";
import type { TagHistory, TagHistoryEntry } from "./TagHistory.ts";

/** The operator's reads across candidates and tags (`portcullis status`, `history`, `rollback`). */
export interface ReleaseCatalog {
  /** Every promotion tag's history in a repository, by tag. */
  tagHistories(repository: RepositoryKey): Promise<Map<string, TagHistory>>;
  /** The candidates of a region (optionally one repository), newest registration first, at most `limit`. */
  recentCandidates(filter: { region: string; repository?: string; limit: number }): Promise<Candidate[]>;
}

/**
 * {@link ReleaseCatalog} on the state table: tag histories by one Query of the repository's partition;
 * candidates by a Scan of the candidate items (the table holds only live and retained candidates, so a scan is
 * cheap for an operator's occasional look; the Lambdas never call it).
 * @example await new DynamoReleaseCatalog({ client, tableName }).tagHistories({ region, repository })
 */
export class DynamoReleaseCatalog implements ReleaseCatalog {
  readonly #table: DynamoTable;

  constructor(options: { readonly client: DynamoDBClient; readonly tableName: string }) {
    this.#table = new DynamoTable(options.client, options.tableName);
  }

  async tagHistories(repository: RepositoryKey): Promise<Map<string, TagHistory>> {
    const t = this.#table;
    const pk = repositoryPk(repository);
    const histories = new Map<string, TagHistory>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await t.call("query tag histories", pk, () =>
        t.doc.send(
          new QueryCommand({
            TableName: t.name,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: { ":pk": pk, ":prefix": TAG_PREFIX },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? [])
        histories.set(String(item.sk).slice(TAG_PREFIX.length), {
          entries: item.entries as TagHistoryEntry[],
          revision: Number(item.revision),
        });
      start = page.LastEvaluatedKey;
    } while (start);
    return histories;
  }

  async recentCandidates(filter: {
    region: string;
    repository?: string;
    limit: number;
  }): Promise<Candidate[]> {
    const t = this.#table;
    const prefix = `C#${filter.region}#${filter.repository === undefined ? "" : `${filter.repository}#`}`;
    const found: Candidate[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await t.call("scan candidates", prefix, () =>
        t.doc.send(
          new ScanCommand({
            TableName: t.name,
            FilterExpression: "sk = :sk AND begins_with(pk, :prefix)",
            ExpressionAttributeValues: { ":sk": STATE_SK, ":prefix": prefix },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) found.push(item.state as Candidate);
      start = page.LastEvaluatedKey;
    } while (start);
    return found.sort((a, b) => b.registeredAt.localeCompare(a.registeredAt)).slice(0, filter.limit);
  }
}
