import type { AddressInfo } from "node:net";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { createTable } from "../../store/index.ts";
import { ServiceStartError } from "../errors.ts";

/** Options for {@link LocalDynamo.start}. */
export interface LocalDynamoOptions {
  /** The state table to create, as the stack deploys it. */
  readonly tableName: string;
  /** The region the client signs for (any works with dynalite). */
  readonly region: string;
  /**
   * A folder to keep the table in (LevelDB on disk), so it outlives the server; without it, in memory. The
   * table is created unless the folder already holds it.
   */
  readonly path?: string;
}

/**
 * dynalite (DynamoDB over the wire, in memory or in a LevelDB folder) on a free loopback port, with the state table created by
 * the store's own {@link createTable} and a client pointed at it.
 * @example const dynamo = await LocalDynamo.start({ tableName: "portcullis", region: "us-east-1" });
 */
export class LocalDynamo {
  private constructor(
    readonly endpoint: string,
    readonly client: DynamoDBClient,
    readonly tableName: string,
    private readonly server: ReturnType<typeof dynalite>,
  ) {}

  /** Starts dynalite and creates the table. */
  static async start(options: LocalDynamoOptions): Promise<LocalDynamo> {
    const server = dynalite({
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      ...(options.path !== undefined && { path: options.path }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error) =>
        reject(new ServiceStartError("dynalite", error.message, { cause: error })),
      );
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new DynamoDBClient({
      endpoint,
      region: options.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const dynamo = new LocalDynamo(endpoint, client, options.tableName, server);
    const create = async () => {
      if (options.path !== undefined && (await hasTable(client, options.tableName))) return;
      await createTable(client, options.tableName);
    };
    await create().catch(async (error: unknown) => {
      await dynamo.stop();
      throw new ServiceStartError("dynalite", `creating table ${options.tableName}`, { cause: error });
    });
    return dynamo;
  }

  /** Creates another table on the same server (e.g. one per test run), as the stack would. */
  async createTable(tableName: string): Promise<void> {
    await createTable(this.client, tableName);
  }

  /** Closes the client and the server. */
  async stop(): Promise<void> {
    this.client.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function hasTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  return client.send(new DescribeTableCommand({ TableName: tableName })).then(
    () => true,
    (error: { name?: string }) => {
      if (error.name === "ResourceNotFoundException") return false;
      throw error;
    },
  );
}
