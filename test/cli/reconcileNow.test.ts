import { describe, expect, it } from "vitest";
import { LambdaFunctionInvoker } from "../../src/aws/LambdaFunctionInvoker.ts";
import { UsageError } from "../../src/cli/Command.ts";
import { parseReconcileArgs, runReconcileNow } from "../../src/cli/commands/reconcile.ts";
import { parseScheduledEvent } from "../../src/handlers/edge/parseScheduledEvent.ts";
import { captureIo } from "../support/captureIo.ts";
import { lambdaStub, payloadBytes } from "../support/lambdaStub.ts";

const context = (lambda: ReturnType<typeof lambdaStub>) => ({
  invoker: new LambdaFunctionInvoker(lambda.client),
  account: "123456789012",
  region: "us-east-1",
});
const digest = `sha256:${"a".repeat(64)}`;

describe("portcullis reconcile --now", () => {
  it("requires --now", () => {
    expect(() => parseReconcileArgs([])).toThrow(UsageError);
    expect(() => parseReconcileArgs([])).toThrow(/--now is required/);
    expect(parseReconcileArgs(["--now", "--async"])).toMatchObject({ async: true });
  });

  it("invokes reconcile with a scheduled event the handler accepts, and prints the sweep", async () => {
    const lambda = lambdaStub({
      StatusCode: 200,
      Payload: payloadBytes({
        kind: "swept",
        candidates: [{ key: { region: "us-east-1", repository: "team/app", digest }, phase: "promoted" }],
        failures: [{ key: { region: "us-east-1", repository: "team/b", digest }, error: "registry down" }],
      }),
    });
    const io = captureIo();
    expect(
      await runReconcileNow(context(lambda), "portcullis-reconcile", { async: false, json: false }, io),
    ).toBe(1);
    expect(lambda.calls[0]).toMatchObject({
      FunctionName: "portcullis-reconcile",
      InvocationType: "RequestResponse",
    });
    const tick = parseScheduledEvent(lambda.payload());
    expect(tick).toMatchObject({ kind: "scheduled", account: "123456789012", region: "us-east-1" });
    expect(tick.eventId).toMatch(/^manual-/);
    expect(io.out()).toMatch(/1 candidate\(s\) brought forward\n {2}team\/app@sha256:aaaaaaaaaaaa… promoted/);
    expect(io.out()).toContain("FAILED team/b@sha256:aaaaaaaaaaaa…: registry down");
  });

  it("--async only queues the sweep", async () => {
    const lambda = lambdaStub({ StatusCode: 202 });
    const io = captureIo();
    expect(
      await runReconcileNow(context(lambda), "portcullis-reconcile", { async: true, json: true }, io),
    ).toBe(0);
    expect(lambda.calls[0]?.InvocationType).toBe("Event");
    expect(JSON.parse(io.out())).toEqual({ queued: (lambda.payload() as { id: string }).id });
  });
});
