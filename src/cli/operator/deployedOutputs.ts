import { readFile } from "node:fs/promises";
import { UsageError } from "../Command.ts";

/** What the operator commands need from the deployed stacks (`npm run deploy` merges every region's into `.sst/portcullis-outputs.json`). */
export interface DeployedOutputs {
  readonly account: string;
  readonly tableName: string;
  readonly topicArn: string;
  /** The Portcullis event bus (a rollback's "Release Rolled Back" goes there, for the report). */
  readonly eventBusName: string;
  /** Every stack output, flattened (`ReconcileFunction`, `GateDeadLetters`, …). */
  readonly all: Readonly<Record<string, string>>;
}

/** Where `npm run deploy` leaves every region's outputs, relative to the project. */
export const DEFAULT_OUTPUTS_FILE = ".sst/portcullis-outputs.json";

/**
 * Reads the deployed stacks' outputs (`{ "<stage>-<app>-<Stack>": { Name: value } }`), flattened; the account
 * is the one in the topic's ARN. Throws a UsageError naming the file and the missing output.
 * @example const outputs = parseDeployedOutputs(JSON.parse(text), DEFAULT_OUTPUTS_FILE)
 */
export function parseDeployedOutputs(json: unknown, file: string): DeployedOutputs {
  if (typeof json !== "object" || json === null)
    throw new UsageError(`${file}: expected an object of stacks and their outputs`);
  const all: Record<string, string> = {};
  for (const outputs of Object.values(json as Record<string, unknown>))
    if (typeof outputs === "object" && outputs !== null)
      for (const [name, value] of Object.entries(outputs)) if (typeof value === "string") all[name] ??= value;
  const need = (name: string) => {
    const value = all[name];
    if (value === undefined)
      throw new UsageError(
        `${file}: no ${name} output (deploy the State stack with \`npm run deploy\` first)`,
      );
    return value;
  };
  const topicArn = need("TopicArn");
  const account = topicArn.split(":")[4] ?? "";
  if (!/^\d{12}$/.test(account))
    throw new UsageError(`${file}: TopicArn ${JSON.stringify(topicArn)} names no account`);
  return { account, tableName: need("TableName"), topicArn, eventBusName: need("EventBusName"), all };
}

/** Reads and parses the outputs file. */
export async function readDeployedOutputs(file: string): Promise<DeployedOutputs> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new UsageError(
      `--outputs ${JSON.stringify(file)} cannot be read: run \`npm run deploy\` (it writes it) or name the file`,
    );
  }
  try {
    return parseDeployedOutputs(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--outputs ${JSON.stringify(file)} is not valid JSON: ${(error as Error).message}`);
  }
}
