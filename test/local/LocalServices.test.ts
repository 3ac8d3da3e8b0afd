import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalServices } from "../../src/local/services/LocalServices.ts";
import { stateLayout } from "../../src/local/services/StateLayout.ts";
import { createReleaseStore } from "../../src/store/index.ts";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const options = (root: string) => ({
  layout: stateLayout(root, "state"),
  primaryRegion: "us-east-1",
  replicaRegions: ["eu-west-1", "ap-southeast-2"],
  tableName: "portcullis-local",
});

async function v2(host: string): Promise<number | string> {
  return fetch(`http://${host}/v2/`).then(
    (res) => res.status,
    (error: Error) => error.message,
  );
}

describe("LocalServices", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "portcullis-services-"));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("starts three registries on distinct loopback ports and dynalite with the state table, and stops them", async () => {
    const services = await LocalServices.start(options(root));
    try {
      const hosts = Object.values(services.hosts);
      expect(Object.keys(services.hosts)).toEqual(["us-east-1", "eu-west-1", "ap-southeast-2"]);
      expect(new Set(hosts).size).toBe(3);
      for (const host of hosts) {
        expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
        expect(await v2(host)).toBe(200);
      }
      const table = await services.dynamo.client.send(
        new DescribeTableCommand({ TableName: "portcullis-local" }),
      );
      expect(table.Table?.TableStatus).toBe("ACTIVE");
      expect(services.dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await services.stop();
    }
    for (const host of Object.values(services.hosts)) expect(await v2(host)).not.toBe(200);
  });

  it("brings a stopped registry back on the same port with its data", async () => {
    const services = await LocalServices.start(options(root));
    try {
      const replica = services.registry("eu-west-1");
      await replica.stop();
      expect(replica.running).toBe(false);
      expect(await v2(replica.host)).not.toBe(200);
      await replica.restart();
      expect(await v2(replica.host)).toBe(200);
    } finally {
      await services.stop();
    }
  });

  it("leaves kept registries running after stop and stops them at the next start", async () => {
    const first = await LocalServices.start(options(root));
    await first.stop({ keepRegistries: true });
    const kept = JSON.parse(await readFile(options(root).layout.servicesFile, "utf8")) as {
      registries: { host: string; pid: number }[];
    };
    expect(kept.registries).toHaveLength(3);
    for (const { host } of kept.registries) expect(await v2(host)).toBe(200);

    const second = await LocalServices.start(options(root));
    await second.stop();
    for (const { host, pid } of kept.registries) {
      if (!Object.values(second.hosts).includes(host)) expect(await v2(host)).not.toBe(200);
      expect(() => process.kill(pid, 0)).toThrow();
    }
  });

  it("keeps the table in the state folder with persistTable, emptied at the next start; in memory otherwise", async () => {
    const persisted = { ...options(root), persistTable: true, replicaRegions: [] };
    const key = { region: "us-east-1", repository: "team/app" };
    const entry = { digest: `sha256:${"a".repeat(64)}` as const, at: "2026-12-01T10:00:00.000Z" };
    const first = await LocalServices.start(persisted);
    try {
      const store = createReleaseStore({ client: first.dynamo.client, tableName: "portcullis-local" });
      expect(await store.saveTagHistory(key, "latest", [entry], 0)).toBe("saved");
    } finally {
      await first.stop();
    }
    expect(await exists(persisted.layout.table)).toBe(true);
    const second = await LocalServices.start(persisted);
    try {
      const store = createReleaseStore({ client: second.dynamo.client, tableName: "portcullis-local" });
      expect((await store.getTagHistory(key, "latest")).entries).toEqual([]);
    } finally {
      await second.stop();
    }
    await rm(persisted.layout.table, { recursive: true });
    const inMemory = await LocalServices.start({ ...options(root), replicaRegions: [] });
    await inMemory.stop();
    expect(await exists(persisted.layout.table)).toBe(false);
  });
});
