import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { EventBridgePublisher } from "../../src/aws/EventBridgePublisher.ts";
import { EventPublishError, EventTooLargeError } from "../../src/aws/errors.ts";
import { type PortcullisEvent, portcullisEvent } from "../../src/events/index.ts";

const ebMock = mockClient(EventBridgeClient);
afterEach(() => ebMock.reset());

const DIGEST = `sha256:${"ab".repeat(32)}` as const;
const client = new EventBridgeClient({
  region: "us-east-1",
  credentials: { accessKeyId: "k", secretAccessKey: "s" },
});

function failedEvent(i: number, error = "boom"): PortcullisEvent {
  return portcullisEvent(
    "Replication Failed",
    {
      candidate: { region: "us-east-1", repository: `team/app${i}`, digest: DIGEST },
      region: "eu-west-1",
      error,
    },
    { time: new Date("2026-01-02T03:04:05Z") },
  );
}

function publisher(sleeps: number[] = []) {
  return new EventBridgePublisher({
    client,
    busName: "portcullis-bus",
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

function sentBatches(): PutEventsCommandInput[] {
  return ebMock.commandCalls(PutEventsCommand).map((call) => call.args[0].input);
}

describe("EventBridgePublisher", () => {
  it("sends each event as an entry on the bus, detail as JSON", async () => {
    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e1" }] });
    await publisher().publish([failedEvent(1)]);
    expect(sentBatches()).toEqual([
      {
        Entries: [
          {
            Source: "portcullis",
            DetailType: "Replication Failed",
            Detail: JSON.stringify(failedEvent(1).detail),
            Resources: [],
            Time: new Date("2026-01-02T03:04:05Z"),
            EventBusName: "portcullis-bus",
          },
        ],
      },
    ]);
  });

  it("splits 23 events into batches of 10, 10 and 3, in order", async () => {
    ebMock.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `e${i}` })),
    }));
    const events = Array.from({ length: 23 }, (_, i) => failedEvent(i));
    await publisher().publish(events);
    const batches = sentBatches();
    expect(batches.map((b) => b.Entries?.length)).toEqual([10, 10, 3]);
    const repositories = batches.flatMap((b) =>
      (b.Entries ?? []).map((e) => JSON.parse(e.Detail ?? "").candidate.repository),
    );
    expect(repositories).toEqual(events.map((e) => e.detail.candidate.repository));
  });

  it("resends only the entries PutEvents refused, then succeeds", async () => {
    ebMock
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: "e0" },
          { ErrorCode: "ThrottlingException", ErrorMessage: "slow down" },
          { EventId: "e2" },
          { ErrorCode: "InternalFailure", ErrorMessage: "oops" },
        ],
      })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: "e1" }, { EventId: "e3" }] });
    const sleeps: number[] = [];
    await publisher(sleeps).publish([0, 1, 2, 3].map((i) => failedEvent(i)));
    const [, retry] = sentBatches();
    expect(retry?.Entries?.map((e) => JSON.parse(e.Detail ?? "").candidate.repository)).toEqual([
      "team/app1",
      "team/app3",
    ]);
    expect(sleeps).toHaveLength(1);
  });

  it("throws naming the refused entries when they still fail after the attempts", async () => {
    ebMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "AccessDeniedException", ErrorMessage: "not allowed on this bus" }],
    });
    const error = await publisher()
      .publish([failedEvent(1)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).failed).toEqual([
      {
        detailType: "Replication Failed",
        errorCode: "AccessDeniedException",
        errorMessage: "not allowed on this bus",
      },
    ]);
    expect((error as Error).message).toContain("1 event(s) refused after 4 attempts");
    expect(sentBatches()).toHaveLength(4);
  });

  it("refuses an event over 256 KiB before sending anything", async () => {
    const huge = failedEvent(1, "x".repeat(300 * 1024));
    await expect(publisher().publish([huge])).rejects.toBeInstanceOf(EventTooLargeError);
    expect(sentBatches()).toHaveLength(0);
  });

  it("sends nothing for no events", async () => {
    await publisher().publish([]);
    expect(sentBatches()).toHaveLength(0);
  });
});
