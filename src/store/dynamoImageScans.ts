import { BatchGetCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Digest } from "../core/digest.ts";
import type { DynamoTable } from "./DynamoTable.ts";
import { type ImageKey, imagePk, SCAN_SK } from "./keys.ts";
import type { StoredScan } from "./ReleaseStore.ts";

const BATCH_GET_LIMIT = 100;

/** Stores a scan unless a newer one (by `at`) is there. */
export async function putImageScan<Scan>(
  table: DynamoTable,
  image: ImageKey,
  scan: Scan,
  at: string,
): Promise<"stored" | "older"> {
  const pk = imagePk(image);
  const written = await table.conditional("put scan", pk, () =>
    table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { pk, sk: SCAN_SK, digest: image.digest, scan, at },
        ConditionExpression: "attribute_not_exists(pk) OR #at <= :at",
        ExpressionAttributeNames: { "#at": "at" },
        ExpressionAttributeValues: { ":at": at },
      }),
    ),
  );
  return written ? "stored" : "older";
}

/** Reads one image's scan with its revision. */
export async function getImageScan<Scan>(
  table: DynamoTable,
  image: ImageKey,
): Promise<StoredScan<Scan> | undefined> {
  const pk = imagePk(image);
  const out = await table.call("get scan", pk, () =>
    table.doc.send(new GetCommand({ TableName: table.name, Key: { pk, sk: SCAN_SK }, ConsistentRead: true })),
  );
  if (!out.Item) return undefined;
  return { scan: out.Item.scan as Scan, revision: Number(out.Item.revision ?? 0) };
}

/** Replaces one image's scan if its revision is still `revision` (0 also matches a scan without one). */
export async function replaceImageScan<Scan>(
  table: DynamoTable,
  image: ImageKey,
  scan: Scan,
  at: string,
  revision: number,
): Promise<"stored" | "conflict"> {
  const pk = imagePk(image);
  const condition =
    revision === 0
      ? { ConditionExpression: "attribute_not_exists(#revision)" }
      : {
          ConditionExpression: "#revision = :revision",
          ExpressionAttributeValues: { ":revision": revision },
        };
  const written = await table.conditional("replace scan", pk, () =>
    table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { pk, sk: SCAN_SK, digest: image.digest, scan, at, revision: revision + 1 },
        ExpressionAttributeNames: { "#revision": "revision" },
        ...condition,
      }),
    ),
  );
  return written ? "stored" : "conflict";
}

/** Reads many images' scans, 100 keys per BatchGetItem, retrying unprocessed keys. */
export async function imageScans<Scan>(
  table: DynamoTable,
  images: readonly ImageKey[],
): Promise<Map<string, Scan>> {
  const scans = new Map<string, Scan>();
  const unique = [...new Map(images.map((image) => [imagePk(image), image])).keys()];
  for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
    let keys: Record<string, unknown>[] = unique
      .slice(i, i + BATCH_GET_LIMIT)
      .map((pk) => ({ pk, sk: SCAN_SK }));
    while (keys.length > 0) {
      const out = await table.call("get scans", "batch", () =>
        table.doc.send(
          new BatchGetCommand({ RequestItems: { [table.name]: { Keys: keys, ConsistentRead: true } } }),
        ),
      );
      for (const item of out.Responses?.[table.name] ?? [])
        scans.set(item.digest as Digest, item.scan as Scan);
      keys = (out.UnprocessedKeys?.[table.name]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return scans;
}
