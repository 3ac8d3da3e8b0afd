import type { InvokeCommand, InvokeCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";

/**
 * A Lambda client whose `send` answers Invoke from a queue of responses and records each command, for the
 * real InvokeCommand the adapter builds. (aws-sdk-client-mock's types do not fit the Lambda client this
 * project resolves, which SST brings with older smithy types.)
 */
export function lambdaStub(...responses: Partial<InvokeCommandOutput>[]) {
  const calls: InvokeCommand["input"][] = [];
  const client: Pick<LambdaClient, "send"> = {
    send: (async (command: InvokeCommand) => {
      calls.push(command.input);
      const response = responses.shift();
      if (response === undefined) throw new Error("lambdaStub: no response left");
      if (response instanceof Error) throw response;
      return response;
    }) as never,
  };
  /** The JSON payload of the n-th call. */
  const payload = (n = 0): unknown => JSON.parse(new TextDecoder().decode(calls[n]?.Payload as Uint8Array));
  return { client, calls, payload };
}

/** A Lambda response payload as the API returns it. */
export const payloadBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;
