import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { QueueMessage } from "../operator/readDeadLetter.ts";
import type { DeadLetterQueue } from "../operator/redrive.ts";

/** Options for {@link SqsDeadLetterQueue}. */
export interface SqsDeadLetterQueueOptions {
  /** The queue URL (the Pipeline stack's `<Name>DeadLetters` output). */
  readonly queueUrl: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** SQS answered with an error (`__type`, e.g. `AWS.SimpleQueueService.NonExistentQueue`, or AccessDenied). */
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

interface SqsMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MessageAttributes?: Record<string, { StringValue?: string; DataType?: string }>;
}

/**
 * {@link DeadLetterQueue} on SQS's JSON protocol (ReceiveMessage, DeleteMessage), each request signed with
 * Signature V4 by Smithy's signer. (`@aws-sdk/client-sqs` would do the same; it is not a dependency yet.)
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/sqs-json-faqs.html
 * @example await new SqsDeadLetterQueue({ queueUrl, region, credentials: defaultProvider() }).receive(300)
 */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  readonly #options: SqsDeadLetterQueueOptions;
  readonly #signer: SignatureV4;

  constructor(options: SqsDeadLetterQueueOptions) {
    this.#options = options;
    this.#signer = new SignatureV4({
      service: "sqs",
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
    });
  }

  async receive(visibilitySeconds: number): Promise<QueueMessage[]> {
    const answer = (await this.#call("ReceiveMessage", {
      MaxNumberOfMessages: 10,
      VisibilityTimeout: visibilitySeconds,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ["All"],
    })) as { Messages?: SqsMessage[] };
    return (answer.Messages ?? []).map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).flatMap(([name, value]) =>
          value.StringValue === undefined ? [] : [[name, value.StringValue]],
        ),
      ),
    }));
  }

  async delete(receiptHandle: string): Promise<void> {
    await this.#call("DeleteMessage", { ReceiptHandle: receiptHandle });
  }

  async #call(action: string, input: Record<string, unknown>): Promise<unknown> {
    const url = new URL(this.#options.queueUrl);
    const request = new HttpRequest({
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      method: "POST",
      path: "/",
      headers: {
        host: url.host,
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `AmazonSQS.${action}`,
      },
      body: JSON.stringify({ QueueUrl: this.#options.queueUrl, ...input }),
    });
    const signed = await this.#signer.sign(request);
    const response = await fetch(`${url.origin}/`, {
      method: "POST",
      headers: signed.headers,
      body: signed.body as string,
    });
    const text = await response.text();
    const json = (text ? JSON.parse(text) : {}) as { __type?: string; message?: string; Message?: string };
    if (!response.ok)
      throw new SqsRequestError(
        action,
        this.#options.queueUrl,
        response.status,
        json.__type?.split("#").at(-1) ?? "Unknown",
        json.message ?? json.Message ?? text,
      );
    return json;
  }
}
