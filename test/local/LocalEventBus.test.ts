import { describe, expect, it } from "vitest";
import { normalizeEvent, portcullisEvent, rulePatterns } from "../../src/events/index.ts";
import { type DeliveryOutcome, LocalEventBus } from "../../src/local/bus/LocalEventBus.ts";
import { imagePushedEvent, imageScanEvent } from "../../src/local/ecr/ecrEvents.ts";

const origin = { account: "000000000000", region: "us-east-1" };
const digest = `sha256:${"a".repeat(64)}` as const;
const child = `sha256:${"b".repeat(64)}` as const;
const repository = "portcullis/example-app";
const patterns = rulePatterns({ repositories: [repository] });

/** A bus with one recording rule per named pattern. */
function busWith(names: (keyof typeof patterns)[], options = {}) {
  const bus = new LocalEventBus({ retryDelayMs: 1, ...options });
  const seen: Record<string, unknown[]> = {};
  for (const name of names) {
    seen[name] = [];
    bus.addRule({ name, pattern: patterns[name], target: async (event) => seen[name]?.push(event) });
  }
  return { bus, seen };
}

describe("LocalEventBus", () => {
  it("routes a build-tag push to register and a platform scan to gate, with the deployed patterns", async () => {
    const { bus, seen } = busWith(["register", "gate", "decided"]);
    const push = imagePushedEvent(origin, {
      repository,
      digest,
      tag: `sha-${"c".repeat(40)}`,
      mediaType: "application/vnd.oci.image.index.v1+json",
    });
    const scan = imageScanEvent(origin, { repository, digest: child, status: "COMPLETE" });
    bus.put([push, scan]);
    await bus.idle();
    expect(seen.register).toEqual([push]);
    expect(seen.gate).toEqual([scan]);
    expect(seen.decided).toEqual([]);
  });

  it("routes nothing for a push under a tag that is not a build tag, or of another repository", async () => {
    const { bus, seen } = busWith(["register", "gate"]);
    const mediaType = "application/vnd.oci.image.index.v1+json";
    bus.put([
      imagePushedEvent(origin, { repository, digest, tag: "latest", mediaType }),
      imagePushedEvent(origin, { repository: "other/app", digest, tag: `sha-${"c".repeat(40)}`, mediaType }),
      imageScanEvent(origin, { repository: "other/app", digest: child, status: "COMPLETE" }),
    ]);
    await bus.idle();
    expect(seen).toEqual({ register: [], gate: [] });
  });

  it("emits ECR events that the shared contracts accept: an untagged scan per platform image", () => {
    const scan = imageScanEvent(origin, {
      repository,
      digest: child,
      status: "COMPLETE",
      counts: { CRITICAL: 1, HIGH: 0, MEDIUM: 2, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 },
    });
    expect(scan.detail["finding-severity-counts"]).toEqual({ CRITICAL: 1, MEDIUM: 2 });
    const normalized = normalizeEvent(scan);
    expect(normalized.ok && normalized.value).toMatchObject({
      kind: "scan-completed",
      digest: child,
      tags: [],
      scanner: "basic",
      status: "COMPLETE",
    });
  });

  it("waits in idle() for events the targets put while handling others", async () => {
    const bus = new LocalEventBus();
    const order: string[] = [];
    const decided = portcullisEvent("Release Decided", {
      candidate: { region: "us-east-1", repository, digest },
      outcome: "passed",
    });
    bus.addRule({
      name: "gate",
      pattern: patterns.gate,
      target: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push("gate");
        bus.put([decided]);
      },
    });
    bus.addRule({
      name: "report",
      pattern: patterns.portcullis,
      target: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(`report:${(event as { "detail-type": string })["detail-type"]}`);
      },
    });
    bus.put([imageScanEvent(origin, { repository, digest: child, status: "COMPLETE" })]);
    await bus.idle();
    expect(order).toEqual(["gate", "report:Release Decided"]);
  });

  it("hands each target its own copy of the event, as over the wire", async () => {
    const bus = new LocalEventBus();
    const received: unknown[] = [];
    const mutate = async (event: unknown) => {
      (event as { detail: { "image-digest": string } }).detail["image-digest"] = "changed";
      received.push(event);
    };
    bus.addRule({ name: "a", pattern: patterns.gate, target: mutate });
    bus.addRule({ name: "b", pattern: patterns.gate, target: mutate });
    const scan = imageScanEvent(origin, { repository, digest: child, status: "COMPLETE" });
    bus.put([scan]);
    await bus.idle();
    expect(scan.detail["image-digest"]).toBe(child);
    expect(received).toHaveLength(2);
    expect(received[0]).not.toBe(received[1]);
  });

  it("retries a target that throws, then dead-letters the event after the last attempt", async () => {
    const outcomes: DeliveryOutcome[] = [];
    const bus = new LocalEventBus({ maxAttempts: 3, retryDelayMs: 1, onDelivery: (o) => outcomes.push(o) });
    let calls = 0;
    bus.addRule({
      name: "gate",
      pattern: patterns.gate,
      target: async () => {
        calls++;
        throw new Error(`attempt ${calls} failed`);
      },
    });
    const scan = imageScanEvent(origin, { repository, digest: child, status: "COMPLETE" });
    bus.put([scan]);
    await bus.idle();
    expect(calls).toBe(3);
    expect(bus.deadLetters).toHaveLength(1);
    expect(bus.deadLetters[0]).toMatchObject({ rule: "gate", attempts: 3, event: { id: scan.id } });
    expect(bus.deadLetters.map((letter) => (letter.error as Error).message)).toEqual(["attempt 3 failed"]);
    expect(outcomes.filter((o) => o.kind === "failed").map((o) => "final" in o && o.final)).toEqual([
      false,
      false,
      true,
    ]);
  });

  it("stops retrying once a target succeeds", async () => {
    const bus = new LocalEventBus({ maxAttempts: 3, retryDelayMs: 1 });
    let calls = 0;
    bus.addRule({
      name: "gate",
      pattern: patterns.gate,
      target: async () => {
        calls++;
        if (calls === 1) throw new Error("transient");
        return "ok";
      },
    });
    bus.put([imageScanEvent(origin, { repository, digest: child, status: "COMPLETE" })]);
    await bus.idle();
    expect(calls).toBe(2);
    expect(bus.deadLetters).toEqual([]);
  });

  it("names the rules an event would reach", () => {
    const { bus } = busWith(["register", "gate", "portcullis", "decided", "promoted"]);
    const decided = portcullisEvent("Release Decided", {
      candidate: { region: "us-east-1", repository, digest },
      outcome: "failed",
    });
    expect(bus.route(decided)).toEqual(["portcullis", "decided"]);
  });

  it("redrives dead letters to the rule that failed them only, as an operator's DLQ redrive", async () => {
    const bus = new LocalEventBus({ maxAttempts: 1, retryDelayMs: 1 });
    let healthy = false;
    const calls: Record<string, number> = { gate: 0, other: 0 };
    bus.addRule({
      name: "gate",
      pattern: patterns.gate,
      target: async () => {
        calls.gate = (calls.gate ?? 0) + 1;
        if (!healthy) throw new Error("down");
      },
    });
    bus.addRule({
      name: "other",
      pattern: patterns.gate,
      target: async () => {
        calls.other = (calls.other ?? 0) + 1;
      },
    });
    bus.put([imageScanEvent(origin, { repository, digest: child, status: "COMPLETE" })]);
    await bus.idle();
    expect(bus.deadLetters.map((letter) => letter.rule)).toEqual(["gate"]);
    healthy = true;
    expect(bus.redrive()).toBe(1);
    await bus.idle();
    expect(calls).toEqual({ gate: 2, other: 1 });
    expect(bus.deadLetters).toEqual([]);
  });

  it("once closed, lets the delivery in flight finish but delivers nothing new and retries nothing", async () => {
    const bus = new LocalEventBus({ maxAttempts: 3, retryDelayMs: 1 });
    let release = () => {};
    const calls: string[] = [];
    bus.addRule({
      name: "slow",
      pattern: { source: ["test"] },
      target: async (event) => {
        const id = (event as { id: string }).id;
        calls.push(`start ${id}`);
        if (id === "first") await new Promise<void>((resolve) => (release = resolve));
        calls.push(`end ${id}`);
        if (id === "first") throw new Error("would be retried");
      },
    });
    bus.put([{ source: "test", id: "first" }]);
    await new Promise((resolve) => setImmediate(resolve));
    bus.close();
    bus.put([{ source: "test", id: "second" }]);
    release();
    await bus.idle();
    expect(calls).toEqual(["start first", "end first"]);
    expect(bus.busy).toBe(false);
  });
});
