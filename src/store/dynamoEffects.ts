import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoTable } from "./DynamoTable.ts";
import { StoreError } from "./errors.ts";
import { type CandidateKey, candidatePk, EFFECT_PREFIX } from "./keys.ts";
import type { EffectClaim } from "./ReleaseStore.ts";

/**
 * Claims a side effect with a lease: granted when unclaimed or when the previous lease ran out, "done" once
 * completed, "busy" while another invocation holds it.
 */
export async function claimEffect(
  table: DynamoTable,
  key: CandidateKey,
  effect: string,
  options: { now: Date; leaseSeconds: number },
): Promise<EffectClaim> {
  const pk = candidatePk(key);
  const sk = `${EFFECT_PREFIX}${effect}`;
  const now = options.now.toISOString();
  const leaseUntil = new Date(options.now.getTime() + options.leaseSeconds * 1000).toISOString();
  try {
    const out = await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
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
  const current = await table.call("get effect", pk, () =>
    table.doc.send(new GetCommand({ TableName: table.name, Key: { pk, sk }, ConsistentRead: true })),
  );
  if (current.Item?.status === "done") return { kind: "done", result: current.Item.result };
  return { kind: "busy", leaseUntil: String(current.Item?.leaseUntil ?? leaseUntil) };
}

/** Marks a side effect done, keeping its result. */
export async function completeEffect(
  table: DynamoTable,
  key: CandidateKey,
  effect: string,
  result?: unknown,
): Promise<void> {
  const pk = candidatePk(key);
  await table.call("complete effect", pk, () =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: { pk, sk: `${EFFECT_PREFIX}${effect}` },
        UpdateExpression: "SET #status = :done, #result = :result REMOVE leaseUntil",
        ExpressionAttributeNames: { "#status": "status", "#result": "result" },
        ExpressionAttributeValues: { ":done": "done", ":result": result ?? null },
      }),
    ),
  );
}

/** Drops a claim that is still only claimed (never one that is done). */
export async function releaseEffect(table: DynamoTable, key: CandidateKey, effect: string): Promise<void> {
  const pk = candidatePk(key);
  await table.conditional("release effect", pk, () =>
    table.doc.send(
      new DeleteCommand({
        TableName: table.name,
        Key: { pk, sk: `${EFFECT_PREFIX}${effect}` },
        ConditionExpression: "#status = :claimed",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":claimed": "claimed" },
      }),
    ),
  );
}
