import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigLoadError, ConfigNotFoundError, InvalidConfigError } from "../../src/config/errors.ts";
import { loadConfig } from "../../src/config/loadConfig.ts";

const DEFINE = new URL("../../src/config/defineConfig.ts", import.meta.url).pathname;

describe("loadConfig", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-config-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function write(name: string, body: string): Promise<string> {
    await writeFile(join(dir, name), `import { defineConfig } from ${JSON.stringify(DEFINE)};\n${body}\n`);
    return name;
  }

  it("loads a TypeScript config and resolves the policy file beside it", async () => {
    const file = await write(
      "good.config.ts",
      `export default defineConfig({ primaryRegion: "eu-west-1", repositories: [{ name: "web" }],
        github: { owner: "octo", repo: "web" }, policyFile: "policies/gate.yaml" });`,
    );
    const config = await loadConfig(file, { cwd: dir });
    expect(config.primaryRegion).toBe("eu-west-1");
    expect(config.policyFile).toBe(join(dir, "policies/gate.yaml"));
  });

  it("names the file, the field and the value of an invalid config", async () => {
    const file = await write(
      "bad.config.ts",
      `export default defineConfig({ primaryRegion: "eu-west-1", replicaRegions: ["eu-west-1"],
        repositories: [{ name: "web" }], github: { owner: "octo", repo: "web" } });`,
    );
    const error = await loadConfig(file, { cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as Error).message).toContain(join(dir, "bad.config.ts"));
    expect((error as Error).message).toContain(
      'replicaRegions[0]: "eu-west-1" must differ from primaryRegion',
    );
  });

  it("says where it looked when there is no config", async () => {
    const error = await loadConfig("missing.config.ts", { cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigNotFoundError);
    expect((error as Error).message).toContain(join(dir, "missing.config.ts"));
  });

  it("wraps a config module that throws while loading", async () => {
    const file = await write("throws.config.ts", `throw new Error("boom");`);
    const error = await loadConfig(file, { cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigLoadError);
    expect((error as Error).message).toMatch(/throws\.config\.ts: boom/);
  });
});
