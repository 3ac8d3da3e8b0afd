import { formatIssues } from "../core/formatIssue.ts";
import type { FunctionInvoker } from "./FunctionInvoker.ts";
import { type QueueMessage, readDeadLetter } from "./readDeadLetter.ts";

/** A function's dead-letter queue (SQS): receive a batch, delete a message by its receipt handle. */
export interface DeadLetterQueue {
  /** Up to 10 messages, hidden from other readers for `visibilitySeconds`. */
  receive(visibilitySeconds: number): Promise<QueueMessage[]>;
  delete(receiptHandle: string): Promise<void>;
}

/** What happened to one dead letter. */
export interface RedrivenMessage {
  readonly messageId: string;
  readonly origin?: string;
  readonly reason: string;
  /** redriven: invoked and deleted; kept: `--dry-run`, unreadable, or the invoke was refused (`error`). */
  readonly outcome: "redriven" | "kept";
  readonly error?: string;
}

/** Options of {@link redrive}. */
export interface RedriveOptions {
  readonly dryRun: boolean;
  /** Most messages handled in one run. */
  readonly maxMessages?: number;
  /** How long a received message stays hidden (the invoke and delete must fit in it). */
  readonly visibilitySeconds?: number;
}

const defaults = { maxMessages: 100, visibilitySeconds: 300 } as const;

/**
 * Sends a function's dead letters back: reads the queue in batches, says why each failed, invokes the
 * function asynchronously with the original event (SNS messages wrapped as Lambda receives them) and deletes
 * the message only once Lambda accepted the invocation; a refused invoke leaves it for the next run. With
 * `dryRun` nothing is invoked or deleted (messages reappear after a short visibility timeout). Every handler
 * is idempotent, so a message redriven twice changes nothing.
 * @example await redrive(queue, invoker, "portcullis-gate", { dryRun: false })
 */
export async function redrive(
  queue: DeadLetterQueue,
  invoker: FunctionInvoker,
  functionName: string,
  options: RedriveOptions,
): Promise<RedrivenMessage[]> {
  const o = { ...defaults, ...options };
  const done: RedrivenMessage[] = [];
  const seen = new Set<string>();
  while (done.length < o.maxMessages) {
    const batch = (await queue.receive(o.dryRun ? 30 : o.visibilitySeconds)).filter(
      (m) => !seen.has(m.messageId),
    );
    if (batch.length === 0) break;
    for (const message of batch) {
      seen.add(message.messageId);
      done.push(await redriveOne(queue, invoker, functionName, message, o.dryRun));
    }
  }
  return done;
}

async function redriveOne(
  queue: DeadLetterQueue,
  invoker: FunctionInvoker,
  functionName: string,
  message: QueueMessage,
  dryRun: boolean,
): Promise<RedrivenMessage> {
  const letter = readDeadLetter(message);
  if (!letter.ok)
    return {
      messageId: message.messageId,
      reason: formatIssues(letter.error),
      outcome: "kept",
      error: "unreadable",
    };
  const { origin, reason } = letter.value;
  const shown = { messageId: message.messageId, origin, reason };
  if (dryRun) return { ...shown, outcome: "kept" };
  try {
    await invoker.invokeAsync(functionName, letter.value.event);
  } catch (error) {
    return { ...shown, outcome: "kept", error: (error as Error).message };
  }
  await queue.delete(message.receiptHandle);
  return { ...shown, outcome: "redriven" };
}
