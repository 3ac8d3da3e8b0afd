import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import type { FunctionInvoker } from "../operator/FunctionInvoker.ts";

/** A function invocation Lambda refused, or one whose function failed. */
export class InvokeFailedError extends Error {
  override readonly name = "InvokeFailedError";
  constructor(
    readonly functionName: string,
    message: string,
  ) {
    super(`invoking ${functionName}: ${message}`);
  }
}

/**
 * {@link FunctionInvoker} on Lambda's Invoke API: `Event` must answer 202 (accepted, queued with Lambda's own
 * retries), `RequestResponse` 200 without a `FunctionError`; anything else is an {@link InvokeFailedError}
 * naming the function and what Lambda said.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 * @example await new LambdaFunctionInvoker(client).invokeAsync("portcullis-gate", event)
 */
export class LambdaFunctionInvoker implements FunctionInvoker {
  constructor(private readonly client: Pick<LambdaClient, "send">) {}

  async invokeAsync(functionName: string, payload: unknown): Promise<void> {
    const response = await this.#send(functionName, payload, "Event");
    if (response.StatusCode !== 202)
      throw new InvokeFailedError(functionName, `Lambda answered ${response.StatusCode}, not 202 (accepted)`);
  }

  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    const response = await this.#send(functionName, payload, "RequestResponse");
    const text = response.Payload ? new TextDecoder().decode(response.Payload) : "";
    const result: unknown = text ? JSON.parse(text) : undefined;
    if (response.FunctionError) {
      const error = result as { errorType?: string; errorMessage?: string } | undefined;
      throw new InvokeFailedError(
        functionName,
        `${error?.errorType ?? response.FunctionError}: ${error?.errorMessage ?? text}`,
      );
    }
    return result;
  }

  async #send(functionName: string, payload: unknown, type: "Event" | "RequestResponse") {
    try {
      return await this.client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: type,
          Payload: new TextEncoder().encode(JSON.stringify(payload)),
        }),
      );
    } catch (error) {
      throw new InvokeFailedError(functionName, (error as Error).message || (error as Error).name);
    }
  }
}
