import { describe, expect, it } from "vitest";
import { InvokeFailedError, LambdaFunctionInvoker } from "../../src/aws/LambdaFunctionInvoker.ts";
import { lambdaStub, payloadBytes } from "../support/lambdaStub.ts";

describe("LambdaFunctionInvoker", () => {
  it("queues an Event invocation with the JSON payload and accepts a 202", async () => {
    const lambda = lambdaStub({ StatusCode: 202 });
    await new LambdaFunctionInvoker(lambda.client).invokeAsync("portcullis-gate", { id: "e1" });
    expect(lambda.calls[0]).toMatchObject({ FunctionName: "portcullis-gate", InvocationType: "Event" });
    expect(lambda.payload()).toEqual({ id: "e1" });
  });

  it("refuses an Event invocation Lambda did not accept, naming the function and the status", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
    const lambda = lambdaStub({ StatusCode: 200 }, throttled as never);
    const invoker = new LambdaFunctionInvoker(lambda.client);
    await expect(invoker.invokeAsync("portcullis-gate", {})).rejects.toThrow(
      "invoking portcullis-gate: Lambda answered 200, not 202 (accepted)",
    );
    const error = await invoker.invokeAsync("portcullis-gate", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvokeFailedError);
    expect((error as Error).message).toBe("invoking portcullis-gate: Rate exceeded");
  });

  it("returns a RequestResponse result, and throws the function's own error", async () => {
    const lambda = lambdaStub(
      { StatusCode: 200, Payload: payloadBytes({ kind: "swept" }) },
      {
        StatusCode: 200,
        FunctionError: "Unhandled",
        Payload: payloadBytes({ errorType: "StoreConflictError", errorMessage: "gave up after 8 attempts" }),
      },
    );
    const invoker = new LambdaFunctionInvoker(lambda.client);
    expect(await invoker.invoke("portcullis-reconcile", {})).toEqual({ kind: "swept" });
    expect(lambda.calls[0]?.InvocationType).toBe("RequestResponse");
    await expect(invoker.invoke("portcullis-reconcile", {})).rejects.toThrow(
      "invoking portcullis-reconcile: StoreConflictError: gave up after 8 attempts",
    );
  });
});
