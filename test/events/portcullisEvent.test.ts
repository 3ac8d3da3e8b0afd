import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import { normalizeEvent, portcullisEvent, toPutEventsEntry } from "../../src/events/index.ts";

const digest = `sha256:${"c".repeat(64)}` as const;
const candidate = { region: "us-east-1", repository: "team/app", digest };
const time = new Date("2026-03-02T10:15:30.000Z");

describe("portcullisEvent", () => {
  it("builds an EventBridge-shaped event with defaults filled in", () => {
    const event = portcullisEvent(
      "Image Promoted",
      { candidate, tags: ["main", "1.2.3"] },
      { id: "e-1", time },
    );
    expect(event).toStrictEqual({
      version: "0",
      id: "e-1",
      "detail-type": "Image Promoted",
      source: "portcullis",
      account: "000000000000",
      time: "2026-03-02T10:15:30.000Z",
      region: "us-east-1",
      resources: [],
      detail: { candidate, git: {}, tags: ["main", "1.2.3"] },
    });
  });

  it("round-trips through normalizeEvent as kind portcullis with the typed detail", () => {
    const git = { commit: "a".repeat(40), ref: "refs/tags/v1.2.3", source: "https://github.com/o/r" };
    const event = portcullisEvent(
      "Release Decided",
      { candidate, git, outcome: "timed-out", reasons: ["linux/arm64 was never scanned"] },
      { id: "e-2", time, account: "123456789012" },
    );
    const result = normalizeEvent(event);
    expect(result).toEqual({
      ok: true,
      value: {
        kind: "portcullis",
        eventId: "e-2",
        time: "2026-03-02T10:15:30.000Z",
        region: "us-east-1",
        account: "123456789012",
        detailType: "Release Decided",
        detail: { candidate, git, outcome: "timed-out", reasons: ["linux/arm64 was never scanned"] },
      },
    });
    if (result.ok && result.value.kind === "portcullis" && result.value.detailType === "Release Decided")
      expect(result.value.detail.outcome).toBe("timed-out");
  });

  it("gives each event a fresh id and the current time unless told otherwise", () => {
    const a = portcullisEvent("Candidate Registered", { candidate });
    const b = portcullisEvent("Candidate Registered", { candidate });
    expect(a.id).not.toBe(b.id);
    expect(Date.parse(a.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(a.detail.platforms).toEqual([]);
  });

  it.each([
    [
      "an invalid digest",
      { candidate: { ...candidate, digest: "sha256:abc" }, tags: ["x"] },
      "detail.candidate.digest",
    ],
    ["an invalid tag", { candidate, tags: ["-bad"] }, "detail.tags[0]"],
    ["no tags at all", { candidate, tags: [] }, "detail.tags"],
    ["a short commit", { candidate, git: { commit: "abc123" }, tags: ["x"] }, "detail.git.commit"],
  ])("refuses %s with a ValidationError naming the field", (_title, detail, field) => {
    try {
      portcullisEvent("Image Promoted", detail as never);
      expect.unreachable("an invalid detail was accepted");
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.field)).toEqual([field]);
    }
  });

  it("refuses an account that is not 12 digits", () => {
    expect(() => portcullisEvent("Candidate Registered", { candidate }, { account: "local" })).toThrow(
      /account: "local" must be an AWS account id of 12 digits/,
    );
  });
});

describe("toPutEventsEntry", () => {
  it("carries source, detail-type, the JSON detail and the time; EventBridge assigns the rest", () => {
    const event = portcullisEvent(
      "Replication Failed",
      { candidate, region: "eu-west-1", error: "denied" },
      { time },
    );
    expect(toPutEventsEntry(event, "portcullis-bus")).toStrictEqual({
      Source: "portcullis",
      DetailType: "Replication Failed",
      Detail: JSON.stringify({ candidate, git: {}, region: "eu-west-1", error: "denied" }),
      Resources: [],
      Time: time,
      EventBusName: "portcullis-bus",
    });
    expect(toPutEventsEntry(event)).not.toHaveProperty("EventBusName");
  });
});
