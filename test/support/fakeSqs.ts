import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A message held by {@link startFakeSqs}. */
export interface HeldMessage {
  readonly id: string;
  readonly body: string;
  readonly attributes?: Record<string, string>;
}

/**
 * A loopback stand-in for SQS's JSON protocol (AWS JSON 1.0, as `@aws-sdk/client-sqs` speaks it) (ReceiveMessage, DeleteMessage) holding one queue: it checks
 * each request is Signature V4 signed for `sqs`, hides received messages for their visibility timeout and
 * records every call, so the real SqsDeadLetterQueue adapter is tested over the wire.
 */
export async function startFakeSqs(messages: HeldMessage[]) {
  const calls: { target: string; body: Record<string, unknown>; authorization: string }[] = [];
  const hiddenUntil = new Map<string, number>();
  let receipt = 0;
  const receipts = new Map<string, string>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
    const target = String(req.headers["x-amz-target"]);
    const authorization = String(req.headers.authorization ?? "");
    calls.push({ target, body, authorization });
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify(json));
    };
    if (!/^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/[a-z0-9-]+\/sqs\/aws4_request/.test(authorization))
      return reply(403, {
        __type: "com.amazon.coral.service#InvalidSignatureException",
        message: "unsigned",
      });
    if (target === "AmazonSQS.ReceiveMessage") {
      const now = Date.now();
      const visible = messages.filter((m) => (hiddenUntil.get(m.id) ?? 0) <= now).slice(0, 10);
      for (const m of visible) hiddenUntil.set(m.id, now + Number(body.VisibilityTimeout) * 1000);
      return reply(200, {
        Messages: visible.map((m) => {
          const handle = `receipt-${++receipt}`;
          receipts.set(handle, m.id);
          return {
            MessageId: m.id,
            ReceiptHandle: handle,
            Body: m.body,
            // SQS's own digest of the body, which the SDK's client checks on every received message.
            MD5OfBody: createHash("md5").update(m.body).digest("hex"),
            MessageAttributes: Object.fromEntries(
              Object.entries(m.attributes ?? {}).map(([k, v]) => [k, { DataType: "String", StringValue: v }]),
            ),
          };
        }),
      });
    }
    if (target === "AmazonSQS.DeleteMessage") {
      const id = receipts.get(String(body.ReceiptHandle));
      if (id === undefined)
        return reply(400, { __type: "com.amazonaws.sqs#ReceiptHandleIsInvalid", message: "no" });
      messages.splice(
        messages.findIndex((m) => m.id === id),
        1,
      );
      return reply(200, {});
    }
    reply(400, { __type: "com.amazonaws.sqs#InvalidAction", message: target });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/123456789012/portcullis-gate-dlq`;
  return {
    url,
    calls,
    messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
