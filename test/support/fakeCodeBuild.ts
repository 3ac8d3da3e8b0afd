import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received: the operation (from X-Amz-Target), its JSON body and SigV4 scope. */
export interface FakeAwsCall {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  /** The credential scope of the Authorization header, `<date>/<region>/<service>/aws4_request`. */
  readonly scope: string;
}

/** Answers one operation: a JSON body, or an AWS error (`__type`) with its status. */
export type FakeAwsAnswer =
  | { readonly body: unknown }
  | { readonly error: string; readonly message: string; readonly status?: number };

/** A running loopback endpoint for CodeBuild and CloudWatch Logs (awsJson1_1). */
export interface FakeCodeBuild {
  /** Give every client this as AWS_ENDPOINT_URL. */
  readonly url: string;
  readonly calls: FakeAwsCall[];
  stop(): Promise<void>;
}

/**
 * Starts a loopback server speaking the AWS JSON 1.1 protocol of CodeBuild (`CodeBuild_20161006.*`) and
 * CloudWatch Logs (`Logs_20140328.*`): each POST is answered by `answer(operation, body)`, or with
 * UnknownOperationException. The SDK reaches it through AWS_ENDPOINT_URL.
 */
export async function startFakeCodeBuild(
  answer: (operation: string, body: Record<string, unknown>) => FakeAwsAnswer | undefined,
): Promise<FakeCodeBuild> {
  const calls: FakeAwsCall[] = [];
  const server = createServer((req, res) => {
    read(req).then(
      (text) => {
        const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        const scope = /Credential=[^/]+\/([^,]+),/.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
        calls.push({ operation, body, scope });
        const reply = answer(operation, body) ?? {
          error: "UnknownOperationException",
          message: `the fake does not answer ${operation}`,
        };
        const json = "body" in reply ? reply.body : { __type: reply.error, message: reply.message };
        res.writeHead("body" in reply ? 200 : (reply.status ?? 400), {
          "content-type": "application/x-amz-json-1.1",
          "x-amzn-requestid": `req-${calls.length}`,
        });
        res.end(JSON.stringify(json));
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
