import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoTable } from "./DynamoTable.ts";
import { claimEffect, completeEffect, releaseEffect } from "./dynamoEffects.ts";
import { getImageScan, imageScans, putImageScan, replaceImageScan } from "./dynamoImageScans.ts";
import { getTagHistory, saveTagHistory } from "./dynamoTagHistory.ts";
import {
  CANDIDATE_LINK_PREFIX,
  type CandidateKey,
  candidatePk,
  type ImageKey,
  imagePk,
  type RepositoryKey,
  STATE_SK,
} from "./keys.ts";
import type { EffectClaim, ReleaseStore, StoredScan, VersionedState } from "./ReleaseStore.ts";
import type { TagHistory, TagHistoryEntry } from "./TagHistory.ts";
import { TableDesign } from "./tableDesign.ts";

/** What the store indexes about a state: its phase, when the reconciler is due, when the item may expire. */
export interface StateIndexing {
  readonly phase: string;
  /** ISO 8601; omitted when nothing is awaited (the candidate leaves the reconciler's index). */
  readonly due?: string;
  /** Epoch seconds after which DynamoDB may delete the item. */
  readonly expiresAt?: number;
}

/** Options of {@link DynamoReleaseStore}. */
export interface DynamoReleaseStoreOptions<S> {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Tells the store how to index a state (kept out of the store so it stays ignorant of the state's shape). */
  readonly indexing: (state: S) => StateIndexing;
}

/**
 * {@link ReleaseStore} on one DynamoDB table ({@link TableDesign}).
 * @example
 * const store = new DynamoReleaseStore({ client, tableName, indexing: (s) => ({ phase: s.phase }) });
 * if ((await store.saveCandidate(next)) === "conflict") { … reload and re-apply … }
 */
export class DynamoReleaseStore<S extends VersionedState, Scan = unknown> implements ReleaseStore<S, Scan> {
  readonly #table: DynamoTable;
  readonly #indexing: (state: S) => StateIndexing;

  constructor(options: DynamoReleaseStoreOptions<S>) {
    this.#table = new DynamoTable(options.client, options.tableName);
    this.#indexing = options.indexing;
  }

  async getCandidate(key: CandidateKey): Promise<S | undefined> {
    const t = this.#table;
    const pk = candidatePk(key);
    const out = await t.call("get", pk, () =>
      t.doc.send(new GetCommand({ TableName: t.name, Key: { pk, sk: STATE_SK }, ConsistentRead: true })),
    );
    return out.Item?.state as S | undefined;
  }

  async createCandidate(state: S): Promise<"created" | "exists"> {
    const t = this.#table;
    const written = await t.conditional("create", candidatePk(state.key), () =>
      t.doc.send(
        new PutCommand({
          TableName: t.name,
          Item: this.#stateItem(state),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
    return written ? "created" : "exists";
  }

  async saveCandidate(state: S): Promise<"saved" | "conflict"> {
    const t = this.#table;
    const written = await t.conditional("save", candidatePk(state.key), () =>
      t.doc.send(
        new PutCommand({
          TableName: t.name,
          Item: this.#stateItem(state),
          ConditionExpression: "#version = :previous",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":previous": state.version - 1 },
        }),
      ),
    );
    return written ? "saved" : "conflict";
  }

  async settleCandidate(key: CandidateKey, version: number): Promise<"settled" | "changed"> {
    const t = this.#table;
    const pk = candidatePk(key);
    const written = await t.conditional("settle", pk, () =>
      t.doc.send(
        new UpdateCommand({
          TableName: t.name,
          Key: { pk, sk: STATE_SK },
          UpdateExpression: "REMOVE #due",
          ConditionExpression: "#version = :version",
          ExpressionAttributeNames: { "#due": TableDesign.phaseIndex.sortKey, "#version": "version" },
          ExpressionAttributeValues: { ":version": version },
        }),
      ),
    );
    return written ? "settled" : "changed";
  }

  async linkImage(image: ImageKey, candidate: CandidateKey): Promise<void> {
    const t = this.#table;
    const pk = imagePk(image);
    await t.call("link", pk, () =>
      t.doc.send(
        new PutCommand({
          TableName: t.name,
          Item: { pk, sk: `${CANDIDATE_LINK_PREFIX}${candidate.digest}`, candidate },
        }),
      ),
    );
  }

  async candidatesOf(image: ImageKey): Promise<CandidateKey[]> {
    const pk = imagePk(image);
    const items = await this.#query("query links", pk, {
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": pk, ":prefix": CANDIDATE_LINK_PREFIX },
      ConsistentRead: true,
    });
    return items.map((item) => item.candidate as CandidateKey);
  }

  putImageScan(image: ImageKey, scan: Scan, at: string): Promise<"stored" | "older"> {
    return putImageScan(this.#table, image, scan, at);
  }

  getImageScan(image: ImageKey): Promise<StoredScan<Scan> | undefined> {
    return getImageScan<Scan>(this.#table, image);
  }

  replaceImageScan(
    image: ImageKey,
    scan: Scan,
    at: string,
    revision: number,
  ): Promise<"stored" | "conflict"> {
    return replaceImageScan(this.#table, image, scan, at, revision);
  }

  imageScans(images: readonly ImageKey[]): Promise<Map<string, Scan>> {
    return imageScans<Scan>(this.#table, images);
  }

  async candidatesDue(phase: string, dueBy: string): Promise<CandidateKey[]> {
    const { name, partitionKey, sortKey } = TableDesign.phaseIndex;
    const items = await this.#query("query due", phase, {
      IndexName: name,
      KeyConditionExpression: "#phase = :phase AND #due <= :due",
      ExpressionAttributeNames: { "#phase": partitionKey, "#due": sortKey },
      ExpressionAttributeValues: { ":phase": phase, ":due": dueBy },
    });
    return items.map((item) => (item.state as VersionedState).key);
  }

  getTagHistory(repository: RepositoryKey, tag: string): Promise<TagHistory> {
    return getTagHistory(this.#table, repository, tag);
  }

  saveTagHistory(
    repository: RepositoryKey,
    tag: string,
    entries: readonly TagHistoryEntry[],
    revision: number,
  ): Promise<"saved" | "conflict"> {
    return saveTagHistory(this.#table, repository, tag, entries, revision);
  }

  claimEffect(
    key: CandidateKey,
    effect: string,
    options: { now: Date; leaseSeconds: number },
  ): Promise<EffectClaim> {
    return claimEffect(this.#table, key, effect, options);
  }

  completeEffect(key: CandidateKey, effect: string, result?: unknown): Promise<void> {
    return completeEffect(this.#table, key, effect, result);
  }

  releaseEffect(key: CandidateKey, effect: string): Promise<void> {
    return releaseEffect(this.#table, key, effect);
  }

  #stateItem(state: S): Record<string, unknown> {
    const { phase, due, expiresAt } = this.#indexing(state);
    return { pk: candidatePk(state.key), sk: STATE_SK, version: state.version, phase, due, expiresAt, state };
  }

  /** Runs a query to its last page. */
  async #query(
    operation: string,
    pk: string,
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], "TableName" | "ExclusiveStartKey">,
  ): Promise<Record<string, unknown>[]> {
    const t = this.#table;
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await t.call(operation, pk, () =>
        t.doc.send(new QueryCommand({ ...input, TableName: t.name, ExclusiveStartKey: start })),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
