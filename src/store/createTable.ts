import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from "@aws-sdk/client-dynamodb";
import { TableDesign } from "./tableDesign.ts";

/**
 * Creates the state table as the stack deploys it (for the local pipeline and tests); an existing table is
 * left as it is.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<"created" | "exists"> {
  const { partitionKey, sortKey, phaseIndex } = TableDesign;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: "S" },
          { AttributeName: sortKey, AttributeType: "S" },
          { AttributeName: phaseIndex.partitionKey, AttributeType: "S" },
          { AttributeName: phaseIndex.sortKey, AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: "HASH" },
          { AttributeName: sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: phaseIndex.name,
            KeySchema: [
              { AttributeName: phaseIndex.partitionKey, KeyType: "HASH" },
              { AttributeName: phaseIndex.sortKey, KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await waitUntilActive(client, tableName);
    return "exists";
  }
  await waitUntilActive(client, tableName);
  return "created";
}

const POLL_MS = 50;
const MAX_WAIT_MS = 60_000;

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + MAX_WAIT_MS;
  while (Date.now() < deadline) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`table ${tableName} did not become ACTIVE within ${MAX_WAIT_MS / 1000}s`);
}
