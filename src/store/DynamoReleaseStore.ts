import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Digest } from "../core/digest.ts";
import { StoreError } from "./errors.ts";
import {
  CANDIDATE_LINK_PREFIX,
  type CandidateKey,
  candidatePk,
  EFFECT_PREFIX,
  type ImageKey,
  imagePk,
  SCAN_SK,
  STATE_SK,
} from "./keys.ts";
import type { EffectClaim, ReleaseStore, VersionedState } from "./ReleaseStore.ts";
import { TableDesign } from "./tableDesign.ts";

/** What the store indexes about a state: its phase, when the reconciler is due, when the item may expire. */
export interface StateIndexing {
  readonly phase: string;
  /** ISO 8601; omitted when nothing is awaited (the candidate leaves the reconciler's index). */
  readonly due?: string;
  /** Epoch seconds after which DynamoDB may delete the item. */
  readonly expiresAt?: number;
}

export interface DynamoReleaseStoreOptions<S> {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Tells the store how to index a state (kept out of the store so it stays ignorant of the state's shape). */
  readonly indexing: (state: S) => StateIndexing;
}

const BATCH_GET_LIMIT = 100;

/**
 * {@link ReleaseStore} on one DynamoDB table ({@link TableDesign}).
 * @example
 * const store = new DynamoReleaseStore({ client, tableName, indexing: (s) => ({ phase: s.phase }) });
 * if ((await store.saveCandidate(next)) === "conflict") { … reload and re-apply … }
 */
export class DynamoReleaseStore<S extends VersionedState, Scan = unknown> implements ReleaseStore<S, Scan> {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #indexing: (state: S) => StateIndexing;

  constructor(options: DynamoReleaseStoreOptions<S>) {
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    this.#table = options.tableName;
    this.#indexing = options.indexing;
  }

  async getCandidate(key: CandidateKey): Promise<S | undefined> {
    const pk = candidatePk(key);
    const out = await this.#call("get", pk, () =>
      this.#doc.send(
        new GetCommand({ TableName: this.#table, Key: { pk, sk: STATE_SK }, ConsistentRead: true }),
      ),
    );
    return out.Item?.state as S | undefined;
  }

  async createCandidate(state: S): Promise<"created" | "exists"> {
    const written = await this.#conditional("create", candidatePk(state.key), () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: this.#stateItem(state),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
    return written ? "created" : "exists";
  }

  async saveCandidate(state: S): Promise<"saved" | "conflict"> {
    const written = await this.#conditional("save", candidatePk(state.key), () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: this.#stateItem(state),
          ConditionExpression: "#version = :previous",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":previous": state.version - 1 },
        }),
      ),
    );
    return written ? "saved" : "conflict";
  }

  async linkImage(image: ImageKey, candidate: CandidateKey): Promise<void> {
    const pk = imagePk(image);
    await this.#call("link", pk, () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk, sk: `${CANDIDATE_LINK_PREFIX}${candidate.digest}`, candidate },
        }),
      ),
    );
  }

  async candidatesOf(image: ImageKey): Promise<CandidateKey[]> {
    const pk = imagePk(image);
    const keys: CandidateKey[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#call("query links", pk, () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: { ":pk": pk, ":prefix": CANDIDATE_LINK_PREFIX },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) keys.push(item.candidate as CandidateKey);
      start = page.LastEvaluatedKey;
    } while (start);
    return keys;
  }

  async putImageScan(image: ImageKey, scan: Scan, at: string): Promise<"stored" | "older"> {
    const pk = imagePk(image);
    const written = await this.#conditional("put scan", pk, () =>
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk, sk: SCAN_SK, digest: image.digest, scan, at },
          ConditionExpression: "attribute_not_exists(pk) OR #at <= :at",
          ExpressionAttributeNames: { "#at": "at" },
          ExpressionAttributeValues: { ":at": at },
        }),
      ),
    );
    return written ? "stored" : "older";
  }

  async imageScans(images: readonly ImageKey[]): Promise<Map<string, Scan>> {
    const scans = new Map<string, Scan>();
    const unique = [...new Map(images.map((image) => [imagePk(image), image])).keys()];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + BATCH_GET_LIMIT)
        .map((pk) => ({ pk, sk: SCAN_SK }));
      while (keys.length > 0) {
        const out = await this.#call("get scans", "batch", () =>
          this.#doc.send(
            new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: keys, ConsistentRead: true } } }),
          ),
        );
        for (const item of out.Responses?.[this.#table] ?? [])
          scans.set(item.digest as Digest, item.scan as Scan);
        keys = (out.UnprocessedKeys?.[this.#table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return scans;
  }

  async candidatesDue(phase: string, dueBy: string): Promise<CandidateKey[]> {
    const { name, partitionKey, sortKey } = TableDesign.phaseIndex;
    const keys: CandidateKey[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#call("query due", phase, () =>
        this.#doc.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: name,
            KeyConditionExpression: "#phase = :phase AND #due <= :due",
            ExpressionAttributeNames: { "#phase": partitionKey, "#due": sortKey },
            ExpressionAttributeValues: { ":phase": phase, ":due": dueBy },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) keys.push((item.state as VersionedState).key);
      start = page.LastEvaluatedKey;
    } while (start);
    return keys;
  }

  async claimEffect(
    key: CandidateKey,
    effect: string,
    options: { now: Date; leaseSeconds: number },
  ): Promise<EffectClaim> {
    const pk = candidatePk(key);
    const sk = `${EFFECT_PREFIX}${effect}`;
    const now = options.now.toISOString();
    const leaseUntil = new Date(options.now.getTime() + options.leaseSeconds * 1000).toISOString();
    try {
      const out = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk, sk },
          UpdateExpression: "SET #status = :claimed, leaseUntil = :lease ADD attempts :one",
          ConditionExpression: "attribute_not_exists(pk) OR (#status = :claimed AND leaseUntil < :now)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":claimed": "claimed", ":lease": leaseUntil, ":now": now, ":one": 1 },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { kind: "claimed", attempt: Number(out.Attributes?.attempts ?? 1) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException))
        throw new StoreError("claim", pk, { cause: error });
    }
    const current = await this.#call("get effect", pk, () =>
      this.#doc.send(new GetCommand({ TableName: this.#table, Key: { pk, sk }, ConsistentRead: true })),
    );
    if (current.Item?.status === "done") return { kind: "done", result: current.Item.result };
    return { kind: "busy", leaseUntil: String(current.Item?.leaseUntil ?? leaseUntil) };
  }

  async completeEffect(key: CandidateKey, effect: string, result?: unknown): Promise<void> {
    const pk = candidatePk(key);
    await this.#call("complete effect", pk, () =>
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk, sk: `${EFFECT_PREFIX}${effect}` },
          UpdateExpression: "SET #status = :done, #result = :result REMOVE leaseUntil",
          ExpressionAttributeNames: { "#status": "status", "#result": "result" },
          ExpressionAttributeValues: { ":done": "done", ":result": result ?? null },
        }),
      ),
    );
  }

  async releaseEffect(key: CandidateKey, effect: string): Promise<void> {
    const pk = candidatePk(key);
    await this.#call("release effect", pk, () =>
      this.#doc.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk, sk: `${EFFECT_PREFIX}${effect}` },
          ConditionExpression: "#status = :claimed",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":claimed": "claimed" },
        }),
      ),
    ).catch((error: unknown) => {
      if (!(error instanceof StoreError && error.cause instanceof ConditionalCheckFailedException))
        throw error;
    });
  }

  #stateItem(state: S): Record<string, unknown> {
    const { phase, due, expiresAt } = this.#indexing(state);
    return { pk: candidatePk(state.key), sk: STATE_SK, version: state.version, phase, due, expiresAt, state };
  }

  /** Runs a conditional write: true when written, false when the condition failed. */
  async #conditional(operation: string, pk: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new StoreError(operation, pk, { cause: error });
    }
  }

  async #call<T>(operation: string, pk: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new StoreError(operation, pk, { cause: error });
    }
  }
}
