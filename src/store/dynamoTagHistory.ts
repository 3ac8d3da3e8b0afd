import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoTable } from "./DynamoTable.ts";
import { type RepositoryKey, repositoryPk, TAG_PREFIX } from "./keys.ts";
import type { TagHistory, TagHistoryEntry } from "./TagHistory.ts";

/** Reads a tag's history, strongly consistent; empty at revision 0 when none is stored. */
export async function getTagHistory(
  table: DynamoTable,
  repository: RepositoryKey,
  tag: string,
): Promise<TagHistory> {
  const pk = repositoryPk(repository);
  const out = await table.call("get tag history", pk, () =>
    table.doc.send(
      new GetCommand({ TableName: table.name, Key: { pk, sk: `${TAG_PREFIX}${tag}` }, ConsistentRead: true }),
    ),
  );
  if (!out.Item) return { entries: [], revision: 0 };
  return { entries: out.Item.entries as TagHistoryEntry[], revision: Number(out.Item.revision) };
}

/** Replaces a tag's history if its stored revision is still `revision` (absent for 0). */
export async function saveTagHistory(
  table: DynamoTable,
  repository: RepositoryKey,
  tag: string,
  entries: readonly TagHistoryEntry[],
  revision: number,
): Promise<"saved" | "conflict"> {
  const pk = repositoryPk(repository);
  const item = { pk, sk: `${TAG_PREFIX}${tag}`, tag, entries, revision: revision + 1 };
  const written = await table.conditional("save tag history", pk, () =>
    table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: item,
        ...(revision === 0
          ? { ConditionExpression: "attribute_not_exists(pk)" }
          : {
              ConditionExpression: "#revision = :revision",
              ExpressionAttributeNames: { "#revision": "revision" },
              ExpressionAttributeValues: { ":revision": revision },
            }),
      }),
    ),
  );
  return written ? "saved" : "conflict";
}
