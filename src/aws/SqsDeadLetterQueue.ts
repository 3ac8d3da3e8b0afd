import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type SQSClientConfig,
  SQSServiceException,
} from "@aws-sdk/client-sqs";
import type { QueueMessage } from "../operator/readDeadLetter.ts";
import type { DeadLetterQueue } from "../operator/redrive.ts";

/** Options for {@link SqsDeadLetterQueue}. */
export interface SqsDeadLetterQueueOptions {
  /** The queue URL (the Pipeline stack's `<Name>DeadLetters` output). */
  readonly queueUrl: string;
  readonly region: string;
  /** Credentials when not the SDK's default chain (tests). */
  readonly credentials?: SQSClientConfig["credentials"];
}

/** SQS answered with an error (e.g. `QueueDoesNotExist`, or AccessDenied). */
export class SqsRequestError extends Error {
  override readonly name = "SqsRequestError";
  constructor(
    readonly action: string,
    readonly queueUrl: string,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`SQS ${action} on ${queueUrl}: ${status} ${code}: ${message}`);
  }
}

/**
 * {@link DeadLetterQueue} on SQS (ReceiveMessage, DeleteMessage) through the SDK's client, which sends each
 * request to the queue URL's own endpoint.
 * @example await new SqsDeadLetterQueue({ queueUrl, region }).receive(300)
 */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  readonly #queueUrl: string;
  readonly #client: SQSClient;

  constructor(options: SqsDeadLetterQueueOptions) {
    this.#queueUrl = options.queueUrl;
    this.#client = new SQSClient({
      region: options.region,
      ...(options.credentials && { credentials: options.credentials }),
    });
  }

  async receive(visibilitySeconds: number): Promise<QueueMessage[]> {
    const command = new ReceiveMessageCommand({
      QueueUrl: this.#queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: visibilitySeconds,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ["All"],
    });
    const answer = await this.#client.send(command).catch(this.#refused("ReceiveMessage"));
    return (answer.Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? "",
      receiptHandle: m.ReceiptHandle ?? "",
      body: m.Body ?? "",
      attributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).flatMap(([name, value]) =>
          value.StringValue === undefined ? [] : [[name, value.StringValue]],
        ),
      ),
    }));
  }

  async delete(receiptHandle: string): Promise<void> {
    const command = new DeleteMessageCommand({ QueueUrl: this.#queueUrl, ReceiptHandle: receiptHandle });
    await this.#client.send(command).catch(this.#refused("DeleteMessage"));
  }

  /** Turns an SQS error into an {@link SqsRequestError} naming the action and the queue. */
  #refused(action: string): (error: unknown) => never {
    return (error) => {
      if (!(error instanceof SQSServiceException)) throw error;
      const status = error.$metadata.httpStatusCode ?? 0;
      throw new SqsRequestError(action, this.#queueUrl, status, error.name, error.message);
    };
  }
}
