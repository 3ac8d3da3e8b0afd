import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lambdaEsbuildOptions } from "../../src/lambda/bundling.ts";
import { TASK_ROOT } from "../functions/functionEnvironment.ts";

const run = promisify(execFile);
let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "portcullis-bundle-"));
});
afterAll(() => rm(out, { recursive: true, force: true }));

const environment = {
  PATH: process.env.PATH ?? "",
  AWS_REGION: "us-east-1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  LAMBDA_TASK_ROOT: TASK_ROOT,
  PORTCULLIS_ACCOUNT: "123456789012",
  PORTCULLIS_PRIMARY_REGION: "us-east-1",
  PORTCULLIS_REPLICA_REGIONS: "eu-west-1",
  PORTCULLIS_REPOSITORIES: "team/app",
  PORTCULLIS_TABLE_NAME: "portcullis-test-State",
  PORTCULLIS_EVENT_BUS: "portcullis-test",
  PORTCULLIS_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:portcullis-test",
  PORTCULLIS_POLICY_FILE: "test/fixtures/policies/payments.yaml",
  PORTCULLIS_RELEASE_BRANCHES: "main",
  PORTCULLIS_RELEASE_TAG_PATTERNS: "",
  PORTCULLIS_SCANNING: "basic",
  PORTCULLIS_ATTESTATION_KEY_ARN:
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

/** Bundles an entry point as deployed and imports it in a fresh node: what Lambda's init does. */
async function initBundle(name: string, variables: Record<string, string> = {}) {
  const outdir = join(out, name);
  await build({
    ...lambdaEsbuildOptions,
    entryPoints: { index: `functions/${name}.ts` },
    outdir,
    logLevel: "error",
  });
  const script = `const m = await import(${JSON.stringify(join(outdir, "index.mjs"))}); process.stdout.write(typeof m.handler);`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...environment, ...variables },
  });
  return { stdout, files: await readdir(outdir) };
}

describe("the deployed bundle", () => {
  it("initializes the gate from its ESM chunks, the YAML policy parser loaded on demand", async () => {
    const { stdout, files } = await initBundle("gate");
    expect(stdout).toBe("function");
    expect(files).toContain("index.mjs");
    expect(files.length).toBeGreaterThan(1);
  });

  it("fails the replicate function's init with the variable named when one is missing", async () => {
    const error = await initBundle("replicate").catch((e: { stderr?: string }) => e);
    expect((error as { stderr?: string }).stderr).toContain(
      "PORTCULLIS_REPOSITORY_SETTINGS: (missing) is required",
    );
  });
});

describe("what the bundle leaves out of init", () => {
  /** Bundles an entry point as deployed; returns the inputs of the chunks loaded at init and of all chunks. */
  async function inputsOf(name: string) {
    const { metafile } = await build({
      ...lambdaEsbuildOptions,
      entryPoints: { index: `functions/${name}.ts` },
      outdir: join(out, `meta-${name}`),
      metafile: true,
      logLevel: "error",
    });
    const outputs = metafile.outputs;
    const entry = Object.keys(outputs).find((key) => key.endsWith("/index.mjs")) ?? "";
    const loaded = new Set<string>();
    const visit = (key: string): void => {
      if (loaded.has(key)) return;
      loaded.add(key);
      for (const imported of outputs[key]?.imports ?? [])
        if (imported.kind === "import-statement" && imported.path in outputs) visit(imported.path);
    };
    visit(entry);
    const inputs = (keys: Iterable<string>) =>
      [...keys].flatMap((key) => Object.keys(outputs[key]?.inputs ?? {}));
    return { atInit: inputs(loaded), all: inputs(Object.keys(outputs)) };
  }

  it.each(["register", "gate", "reconcile"])(
    "keeps the YAML parser out of %s's init (policies ship as JSON)",
    async (name) => {
      const { atInit, all } = await inputsOf(name);
      expect(all.some((input) => input.includes("node_modules/yaml/"))).toBe(true);
      expect(atInit.filter((input) => input.includes("node_modules/yaml/"))).toEqual([]);
    },
  );

  it("bundles no browser user-agent parser (bowser)", async () => {
    const { all } = await inputsOf("report");
    expect(all.filter((input) => input.includes("node_modules/bowser/"))).toEqual([]);
  });
});
