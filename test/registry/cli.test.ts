import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { ValidationError } from "../../src/core/ValidationError.ts";
import { copy, createRegistryClient } from "../../src/registry/index.ts";
import { referrersTag } from "../../src/registry/referrers/referrersTag.ts";
import { captureIo } from "../support/captureIo.ts";
import { type FaultProxy, startFaultProxy } from "../support/faultProxy.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoRaw } from "../support/skopeo.ts";
import { artifactFor } from "../support/testArtifacts.ts";
import {
  descriptorOf,
  pushTestImage,
  randomIndex,
  rawManifest,
  type TestImage,
} from "../support/testImages.ts";

const PASSWORD = "cli-Secr3t-value";
let a: TestRegistry;
let b: TestRegistry;
let guarded: FaultProxy;
let index: TestImage;
let signature: TestImage;
/** No Docker config: credentials come only from what a test passes. */
const baseEnv = { DOCKER_CONFIG: "/nonexistent-portcullis-docker-config" };

beforeAll(async () => {
  [a, b] = await Promise.all([startRegistry(), startRegistry()]);
  guarded = await startFaultProxy(b.host, { auth: { kind: "basic", username: "ci", password: PASSWORD } });
  index = await randomIndex();
  const client = createRegistryClient(a.host);
  await pushTestImage(client, "cli/app", index, "v1");
  signature = artifactFor(index.root, "application/vnd.example.sig", Buffer.from("signed"));
  await pushTestImage(client, "cli/app", signature);
  const listing = { ...descriptorOf(signature.root), artifactType: "application/vnd.example.sig" };
  const tagIndex = rawManifest("application/vnd.oci.image.index.v1+json", { manifests: [listing] });
  await client.putManifest("cli/app", referrersTag(index.root.digest), tagIndex);
  client.close();
});
afterAll(async () => {
  await guarded?.stop();
  await Promise.all([a?.stop(), b?.stop()]);
});

async function run(argv: string[], overrides: Parameters<typeof captureIo>[0] = {}) {
  const io = captureIo({ env: baseEnv, ...overrides });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe("portcullis copy", () => {
  it("copies and prints one summary line: digest, blobs copied/skipped, bytes, seconds", async () => {
    const { code, out, err } = await run([
      "copy",
      `${a.host}/cli/app:v1`,
      `${b.host}/cli/copy:v1`,
      "--concurrency",
      "2",
    ]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${index.root.digest} ${b.host}/cli/copy:v1@sha256:[a-f0-9]{64}  blobs ${index.blobs.length} copied, 0 mounted, 0 skipped  manifests ${index.manifests.length} pushed, 0 already there  referrers 1  [0-9.]+ MB sent in [0-9.]+ s`,
      ),
    );
    expect((await skopeoRaw(`${b.host}/cli/copy:v1`)).equals(index.root.bytes)).toBe(true);
    expect(
      (await skopeoRaw(`${b.host}/cli/copy@${signature.root.digest}`)).equals(signature.root.bytes),
    ).toBe(true);
  });

  it("copies the image alone with --referrers=false", async () => {
    const { code, out } = await run([
      "copy",
      `${a.host}/cli/app:v1`,
      `${b.host}/cli/alone:v1`,
      "--referrers=false",
    ]);
    expect(code).toBe(0);
    expect(out).toContain("  referrers 0  ");
    const client = createRegistryClient(b.host);
    expect(await client.headManifest("cli/alone", signature.root.digest)).toBeUndefined();
    client.close();
  });

  it("draws a progress bar on a terminal and clears it before the summary", async () => {
    const { code, out } = await run(["copy", `${a.host}/cli/app:v1`, `${b.host}/cli/tty:v1`], {
      isTty: true,
    });
    expect(code).toBe(0);
    expect(out).toMatch(/\r\[[#.]{30}\]/);
    expect(out).toContain("\r\u001b[2Ksha256:");
  });

  it.each([
    [["copy", `${"x"}`], "expected SRC and DST"],
    [["copy", "127.0.0.1:5000/App:v1", "127.0.0.1:5000/b:v1"], 'SRC.repository: "App"'],
    [["copy", "127.0.0.1:5000/a:v1", "127.0.0.1:5000/b@sha256:xyz"], "DST.digest"],
    [
      ["copy", "127.0.0.1:5000/a:v1", "127.0.0.1:5000/b:v1", "--concurrency", "0"],
      '--concurrency: "0" must be a positive integer',
    ],
    [["copy", "127.0.0.1:5000/a:v1", "127.0.0.1:5000/b:v1", "--frobnicate"], "--frobnicate"],
    [
      ["copy", "127.0.0.1:5000/a:v1", "127.0.0.1:5000/b:v1", "--referrers=no"],
      '--referrers: "no" must be true or false',
    ],
  ])("exits 2 on bad arguments %j, naming the problem", async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain("Usage: portcullis copy");
  });

  it("exits 1 with a clear message when the source does not exist", async () => {
    const { code, err, out } = await run(["copy", `${a.host}/cli/app:nope`, `${b.host}/cli/none:v1`]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain("MANIFEST_UNKNOWN");
    expect(err).toContain(`${a.host}/cli/app:nope`);
  });

  it("copies to several destinations from one read, one summary line each and what was read", async () => {
    const { code, out, err } = await run([
      "copy",
      `${a.host}/cli/app:v1`,
      `${b.host}/cli/one:v1`,
      `${b.host}/cli/two:v2`,
    ]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${index.root.digest} ${b.host}/cli/one:v1@sha256:[a-f0-9]{64}  blobs ${index.blobs.length} copied`,
      ),
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^${index.root.digest} ${b.host}/cli/two:v2@sha256:[a-f0-9]{64}  blobs ${index.blobs.length} copied`,
      ),
    );
    const bytes = index.blobs.reduce((sum, blob) => sum + blob.descriptor.size, 0);
    expect(lines[2]).toBe(
      `read ${(bytes / 1e6).toFixed(1)} MB of blobs from the source for 2 destinations in ${lines[2]?.split(" in ")[1]}`,
    );
    for (const repo of ["cli/one:v1", "cli/two:v2"])
      expect((await skopeoRaw(`${b.host}/${repo}`)).equals(index.root.bytes)).toBe(true);
  });

  it("exits 1 when one destination fails, still copying to the others", async () => {
    const { code, out, err } = await run(
      ["copy", `${a.host}/cli/app:v1`, "127.0.0.1:9/cli/dead:v1", `${b.host}/cli/alive:v1`],
      {
        env: { ...baseEnv },
      },
    );
    expect(code).toBe(1);
    expect(err).toMatch(/^portcullis copy: copying .* to 127\.0\.0\.1:9\/cli\/dead:v1: .*ECONNREFUSED/);
    expect(out).toContain(`${b.host}/cli/alive:v1@${index.root.digest}`);
    expect((await skopeoRaw(`${b.host}/cli/alive:v1`)).equals(index.root.bytes)).toBe(true);
  });
});

describe("portcullis copy --chunk-size to ECR", () => {
  it("exits 2 naming the option and the ECR host, before any request", async () => {
    const ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    const { code, err, out } = await run([
      "copy",
      `${a.host}/cli/app:v1`,
      `${ecr}/app:v1`,
      "--chunk-size",
      "5000000",
    ]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain("--chunk-size");
    expect(err).toContain(ecr);
    const ok = await run([
      "copy",
      `${a.host}/cli/app:v1`,
      `${b.host}/cli/chunked:v1`,
      "--chunk-size",
      "5000",
    ]);
    expect(ok.code).toBe(0);
  });

  it("is refused by the engine too (chunkSize, host named), with no request sent", async () => {
    const target = createRegistryClient("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
    const source = createRegistryClient(a.host);
    const error = await copy({
      source,
      target,
      from: { registry: a.host, repository: "cli/app", tag: "v1" },
      to: { registry: target.registry, repository: "app", tag: "v1" },
      chunkSize: 5_000_000,
    }).catch((e: unknown) => e);
    source.close();
    target.close();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/chunkSize.*123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com/s);
  });
});

describe("portcullis promote", () => {
  it("moves tags, then reports them unchanged on a second run", async () => {
    const image = `${a.host}/cli/app@${index.root.digest}`;
    const first = await run(["promote", image, "--tag", "main", "--tag", "1.2.3"]);
    expect(first.code).toBe(0);
    expect(first.out).toBe(`moved main -> ${index.root.digest}\nmoved 1.2.3 -> ${index.root.digest}\n`);
    const second = await run(["promote", image, "--tag", "main"]);
    expect(second.out).toBe(`unchanged main (already ${index.root.digest})\n`);
    expect((await skopeoRaw(`${a.host}/cli/app:1.2.3`)).equals(index.root.bytes)).toBe(true);
  });

  it.each([
    [["promote", "127.0.0.1:5000/app:v1", "--tag", "main"], "must be pinned by digest"],
    [["promote", `127.0.0.1:5000/app@sha256:${"a".repeat(64)}`], "at least one --tag"],
    [["promote", `127.0.0.1:5000/app@sha256:${"a".repeat(64)}`, "--tag", "bad tag"], 'tags[0]: "bad tag"'],
  ])("exits 2 on bad arguments %j", async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it("exits 1 for a digest the registry does not have", async () => {
    const { code, err } = await run([
      "promote",
      `${a.host}/cli/app@sha256:${"5".repeat(64)}`,
      "--tag",
      "main",
    ]);
    expect(code).toBe(1);
    expect(err).toContain("MANIFEST_UNKNOWN");
  });
});

describe("portcullis copy from the package bin", () => {
  const exec = promisify(execFile);
  const bin = (args: string[], env: Record<string, string>) =>
    exec(process.execPath, ["bin/portcullis.js", ...args], {
      env: { ...process.env, ...baseEnv, ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it("authenticates with credentials from the environment and never prints them", async () => {
    const env = { PORTCULLIS_REGISTRY_USERNAME: "ci", PORTCULLIS_REGISTRY_PASSWORD: PASSWORD };
    const ok = await bin(["copy", `${a.host}/cli/app:v1`, `${guarded.host}/cli/bin:v1`], env);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(index.root.digest);
    expect((await skopeoRaw(`${b.host}/cli/bin:v1`)).equals(index.root.bytes)).toBe(true);

    const denied = await bin(["copy", `${a.host}/cli/app:v1`, `${guarded.host}/cli/bin:v2`], {
      ...env,
      PORTCULLIS_REGISTRY_PASSWORD: "wrong-Secr3t",
    });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("401");
    for (const secret of [PASSWORD, "wrong-Secr3t", Buffer.from(`ci:${PASSWORD}`).toString("base64")]) {
      expect(`${ok.stdout}${ok.stderr}${denied.stdout}${denied.stderr}`).not.toContain(secret);
    }
  });
});
