import { ECRClient } from "@aws-sdk/client-ecr";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseConfig, repositorySettings } from "../../src/config/index.ts";
import { MediaType, ValidationError } from "../../src/core/index.ts";
import { portcullisEvent } from "../../src/events/index.ts";
import type { SettingsError } from "../../src/lambda/errors.ts";
import {
  type Candidate,
  decide,
  markPromoted,
  recordReplication,
  recordScan,
  registerCandidate,
} from "../../src/release/index.ts";
import { createReleaseStore } from "../../src/store/index.ts";
import { type CapturedOutput, captureOutput } from "../lambda/captureOutput.ts";
import { lambdaContext } from "../lambda/lambdaContext.ts";
import {
  ACCOUNT,
  BUS,
  type FunctionEnvironment,
  functionEnvironment,
  PRIMARY,
  TABLE,
} from "./functionEnvironment.ts";

const ebMock = mockClient(EventBridgeClient);
const snsMock = mockClient(SNSClient);
const ecrMock = mockClient(ECRClient);
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const INDEX = `sha256:${"1".repeat(64)}` as const;
const CHILD = `sha256:${"2".repeat(64)}` as const;

const config = parseConfig({
  primaryRegion: PRIMARY,
  replicaRegions: ["eu-west-1"],
  repositories: [{ name: "team/app" }],
  github: { owner: "octo-org", repo: "app" },
});
if (!config.ok) throw new Error(JSON.stringify(config.error));
const settings = repositorySettings(config.value);
if (!settings.ok) throw new Error(JSON.stringify(settings.error));

let env: FunctionEnvironment;
let out: CapturedOutput;
beforeAll(async () => {
  env = await functionEnvironment({
    PORTCULLIS_REPOSITORY_SETTINGS: JSON.stringify(settings.ok && settings.value),
  });
});
afterAll(() => env?.restore());
afterEach(() => {
  out?.restore();
  ebMock.reset();
  snsMock.reset();
  ecrMock.reset();
});

/** A candidate promoted at `now` whose eu-west-1 copy is recorded, but whose "Image Replicated" was not published. */
async function replicatedButUnannounced(): Promise<Candidate> {
  const now = new Date();
  const steps = [
    (s: Candidate) =>
      recordScan(s, { digest: CHILD, status: "COMPLETE", scanner: "basic", at: now, eventId: "e1" }),
    (s: Candidate) => decide(s, { outcome: "passed", reasons: [], now }),
    (s: Candidate) => markPromoted(s, { tags: ["main"], now, replicateTo: ["eu-west-1"] }),
    (s: Candidate) => recordReplication(s, { region: "eu-west-1", outcome: "replicated", now }),
  ];
  const registered = registerCandidate({
    key: { region: PRIMARY, repository: "team/app", digest: INDEX },
    kind: "index",
    children: [{ digest: CHILD, platform: "linux/amd64", mediaType: MediaType.OciManifest }],
    git: { revision: COMMIT },
    tags: { build: `sha-${COMMIT}`, promotion: ["main"] },
    now,
    timeoutMinutes: 60,
  });
  if (registered.kind !== "changed") throw new Error("not registered");
  let state = registered.state;
  for (const step of steps) {
    const t = step(state);
    if (t.kind !== "changed") throw new Error(JSON.stringify(t));
    state = { ...t.state, version: 1 };
  }
  await createReleaseStore({ client: env.dynalite.client, tableName: TABLE }).createCandidate(state);
  return state;
}

function promoted(account = ACCOUNT) {
  return portcullisEvent(
    "Image Promoted",
    {
      candidate: { region: PRIMARY, repository: "team/app", digest: INDEX },
      git: { commit: COMMIT },
      tags: ["main"],
    },
    { account },
  );
}

describe("functions/replicate", () => {
  it("publishes the outcome the store records, on the configured bus, through the whole Lambda stack", async () => {
    await replicatedButUnannounced();
    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "x" }] });
    const { handler } = await import("../../functions/replicate.ts");
    out = captureOutput();
    const result = await handler(promoted(), lambdaContext("portcullis-test-replicate"));
    expect(result).toMatchObject({
      kind: "replication",
      attempted: [],
      missing: [],
      published: ["replicated:eu-west-1"],
    });
    const entries = ebMock.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(entries).toEqual([
      expect.objectContaining({ EventBusName: BUS, Source: "portcullis", DetailType: "Image Replicated" }),
    ]);
    expect(JSON.parse(entries[0]?.Detail ?? "{}")).toMatchObject({
      region: "eu-west-1",
      digest: INDEX,
      git: { commit: COMMIT },
    });
    expect(out.json().find((l) => l.message === "replicate: finished")).toMatchObject({
      service: "portcullis",
      function_name: "portcullis-test-replicate",
      repository: "team/app",
      commit: COMMIT,
    });
    expect(ecrMock.calls()).toHaveLength(0);

    const again = await handler(promoted(), lambdaContext("portcullis-test-replicate", "req-2"));
    expect(again).toMatchObject({ published: [] });
    expect(ebMock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it("refuses an event from another account and fails an invalid one with every issue logged", async () => {
    const { handler } = await import("../../functions/replicate.ts");
    out = captureOutput();
    expect(await handler(promoted("210987654321"), lambdaContext("f"))).toMatchObject({
      kind: "refused",
      field: "account",
    });
    const invalid = {
      ...promoted(),
      detail: { candidate: { region: PRIMARY, repository: "team/app" }, tags: [] },
    };
    await expect(handler(invalid, lambdaContext("f"))).rejects.toBeInstanceOf(ValidationError);
    const refused = out.json().find((l) => l.message === "event refused");
    expect(refused).toMatchObject({ retryable: false, repository: "team/app" });
    expect(((refused?.issues ?? []) as { field: string }[]).map((i) => i.field)).toEqual([
      "detail.candidate.digest",
      "detail.tags",
    ]);
  });

  it("fails at init, naming each missing or invalid variable", async () => {
    vi.resetModules();
    const saved = {
      table: process.env.PORTCULLIS_TABLE_NAME,
      settings: process.env.PORTCULLIS_REPOSITORY_SETTINGS,
    };
    delete process.env.PORTCULLIS_TABLE_NAME;
    process.env.PORTCULLIS_REPOSITORY_SETTINGS = "{}";
    try {
      const error = await import("../../functions/replicate.ts").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as SettingsError).name).toBe("ValidationError");
      const fields = (error as SettingsError).issues.map((i) => i.field);
      expect(fields).toContain("PORTCULLIS_TABLE_NAME");
      expect(fields.filter((f) => f.startsWith("PORTCULLIS_REPOSITORY_SETTINGS")).length).toBeGreaterThan(0);
    } finally {
      process.env.PORTCULLIS_TABLE_NAME = saved.table;
      process.env.PORTCULLIS_REPOSITORY_SETTINGS = saved.settings;
      vi.resetModules();
    }
  });
});
