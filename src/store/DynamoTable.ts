import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { StoreError } from "./errors.ts";

/**
 * One DynamoDB table behind a document client, with the two ways the store calls it: a plain call whose
 * failure becomes a {@link StoreError}, and a conditional write that answers whether its condition held.
 */
export class DynamoTable {
  readonly doc: DynamoDBDocumentClient;
  readonly name: string;

  constructor(client: DynamoDBClient, name: string) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    this.name = name;
  }

  /** Runs a call; any failure is wrapped in a StoreError naming the operation and partition key. */
  async call<T>(operation: string, pk: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new StoreError(operation, pk, { cause: error });
    }
  }

  /** Runs a conditional write: true when written, false when the condition failed. */
  async conditional(operation: string, pk: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new StoreError(operation, pk, { cause: error });
    }
  }
}
