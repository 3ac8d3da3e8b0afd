import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildToolCalls } from "../iam/buildActions.ts";
import { BUILD_CONFIG, BUILD_NAMES } from "../iam/buildDeployment.ts";
import { expectCallsAllowed } from "../iam/expectAllowed.ts";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const SCRIPT = join(ROOT, "buildspec/build.sh");
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const IMAGE = `${REGISTRY}/shop/web`;
const CACHE = `${REGISTRY}/portcullis-cache/shop/web`;
const AMD = `${IMAGE}@sha256:${"b".repeat(64)}`;
const ARM = `${IMAGE}@sha256:${"a".repeat(64)}`;
const INDEX = `sha256:${"c".repeat(64)}`;
const REF = "refs/heads/feature/$(id)`id`";
const BUILDKIT = `public.ecr.aws/vend/moby/buildkit:v0.29.0@sha256:${"d".repeat(64)}`;

// Stand-ins for docker and aws that record each call and answer like the real tools would. They test the
// script's own logic (quoting, flags, the CodeBuild lookup), not buildx or ECR.
const dockerStub = `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STUB_LOG, JSON.stringify(["docker", ...args]) + "\\n");
if (args[0] === "buildx" && args[1] === "inspect" && process.env.STUB_NO_BUILDER) process.exit(1);
if (args[0] === "buildx" && args[1] === "build") {
  const platform = args[args.indexOf("--platform") + 1];
  const digest = "sha256:" + (platform.endsWith("arm64") ? "a" : "b").repeat(64);
  fs.writeFileSync(args[args.indexOf("--metadata-file") + 1], JSON.stringify({ "containerimage.digest": digest }, null, 2));
}
if (args[0] === "buildx" && args[1] === "imagetools") fs.writeFileSync(process.env.STUB_STATE, "pushed");
`;

const awsStub = `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STUB_LOG, JSON.stringify(["aws", ...args]) + "\\n");
const [service, op] = args;
const ids = () => args.slice(args.indexOf("--ids") + 1, args.indexOf("--query"));
const arn = (kind, id) => "arn:aws:codebuild:eu-west-1:123456789012:" + kind + "/" + id;
if (service === "ecr" && op === "describe-images") {
  if (fs.existsSync(process.env.STUB_STATE)) { console.log("${INDEX}"); process.exit(0); }
  console.error("An error occurred (ImageNotFoundException) when calling the DescribeImages operation: not found");
  process.exit(254);
}
if (service === "codebuild" && op === "batch-get-builds" && ids()[0] === process.env.CODEBUILD_BUILD_ID) {
  console.log(arn("build-batch", "shop-web:batch-1"));
} else if (service === "codebuild" && op === "batch-get-build-batches") {
  console.log(["None", arn("build", "shop-web:amd64-1"), arn("build", "shop-web:arm64-1"), arn("build", process.env.CODEBUILD_BUILD_ID)].join("\\t"));
} else if (service === "codebuild" && op === "batch-get-builds") {
  console.log(process.env.STUB_EXPORTED);
}
`;

describe("build.sh with docker buildx (the CodeBuild builder)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-buildx-"));
    for (const [name, body] of [
      ["docker", dockerStub],
      ["aws", awsStub],
    ] as const) {
      await writeFile(join(dir, name), body);
      await chmod(join(dir, name), 0o755);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    await rm(join(dir, "calls.log"), { force: true });
    await rm(join(dir, "state"), { force: true });
  });

  async function build(step: string, env: Record<string, string> = {}) {
    const result = await run("bash", [SCRIPT, step], {
      cwd: ROOT,
      env: {
        PATH: `${dir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        STUB_LOG: join(dir, "calls.log"),
        STUB_STATE: join(dir, "state"),
        STUB_EXPORTED: `${AMD}\t${ARM}`,
        PORTCULLIS_BUILDER: "buildx",
        PORTCULLIS_IMAGE: IMAGE,
        PORTCULLIS_CACHE: CACHE,
        PORTCULLIS_BUILDKIT_IMAGE: BUILDKIT,
        PORTCULLIS_COMMIT: COMMIT,
        PORTCULLIS_REF: REF,
        PORTCULLIS_SOURCE_URL: "https://github.com/octo-org/shop",
        PORTCULLIS_CONTEXT: "examples/app",
        PORTCULLIS_PLATFORMS: "linux/amd64 linux/arm64",
        CODEBUILD_BUILD_ID: "shop-web:index-1",
        CODEBUILD_RESOLVED_SOURCE_VERSION: COMMIT,
        ...env,
      },
    }).then(
      (ok) => ({ code: 0, ...ok }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    const made = await calls();
    // Each call is one the deployed CodeBuild project role allows (test/iam).
    await expectCallsAllowed(buildToolCalls("codebuild:shop/web", made, BUILD_NAMES), BUILD_CONFIG);
    return { ...result, calls: made };
  }

  async function calls(): Promise<string[][]> {
    const text = await readFile(join(dir, "calls.log"), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
  }

  const flagValues = (args: string[], flag: string) => args.filter((_, i) => args[i - 1] === flag);

  it("creates its builder with the configured BuildKit image, never buildx's default Docker Hub pull", async () => {
    const { code, calls } = await build("image", {
      PORTCULLIS_PLATFORM: "linux/amd64",
      STUB_NO_BUILDER: "1",
    });
    expect(code).toBe(0);
    const create = calls.find((c) => c[1] === "buildx" && c[2] === "create") ?? [];
    expect(create.slice(3)).toEqual([
      "--name",
      "portcullis",
      "--driver",
      "docker-container",
      "--driver-opt",
      `image=${BUILDKIT}`,
    ]);
  });

  it.each([
    ["", /PORTCULLIS_BUILDKIT_IMAGE is not set/],
    [
      "moby/buildkit:buildx-stable-1",
      /PORTCULLIS_BUILDKIT_IMAGE must be an image reference pinned by digest/,
    ],
  ])("refuses a BuildKit image that is missing or not pinned by digest (%j)", async (image, message) => {
    const { code, stderr, calls } = await build("image", {
      PORTCULLIS_PLATFORM: "linux/amd64",
      PORTCULLIS_BUILDKIT_IMAGE: image,
    });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(calls.filter((c) => c[0] === "docker")).toEqual([]);
  });

  it("builds one platform natively, caches it per arch in ECR, pushes by digest and prints the reference", async () => {
    const { stdout, calls } = await build("image", { PORTCULLIS_PLATFORM: "linux/arm64" });
    expect(stdout.trim()).toBe(ARM);
    const buildCall = calls.find((c) => c[1] === "buildx" && c[2] === "build") ?? [];
    expect(flagValues(buildCall, "--platform")).toEqual(["linux/arm64"]);
    expect(flagValues(buildCall, "--builder")).toEqual(["portcullis"]);
    expect(flagValues(buildCall, "--cache-from")).toEqual([`type=registry,ref=${CACHE}:cache-arm64`]);
    expect(flagValues(buildCall, "--cache-to")).toEqual([
      `type=registry,ref=${CACHE}:cache-arm64,mode=max,image-manifest=true,oci-mediatypes=true`,
    ]);
    expect(flagValues(buildCall, "--output")).toEqual([
      `type=image,name=${IMAGE},push-by-digest=true,name-canonical=true,push=true,oci-mediatypes=true`,
    ]);
    expect(flagValues(buildCall, "--label")).toEqual([
      `org.opencontainers.image.revision=${COMMIT}`,
      "org.opencontainers.image.source=https://github.com/octo-org/shop",
      `org.opencontainers.image.ref.name=${REF}`,
    ]);
    expect(flagValues(buildCall, "--file")).toEqual(["examples/app/Dockerfile"]);
    expect(flagValues(buildCall, "--provenance")).toEqual(["mode=max"]);
    expect(buildCall.at(-1)).toBe("examples/app");
  });

  it("names the CodeBuild build as the provenance's builder", async () => {
    const arn = "arn:aws:codebuild:us-east-1:123456789012:build/portcullis-app:42";
    const { calls } = await build("image", { PORTCULLIS_PLATFORM: "linux/arm64", CODEBUILD_BUILD_ARN: arn });
    const buildCall = calls.find((c) => c[1] === "buildx" && c[2] === "build") ?? [];
    expect(flagValues(buildCall, "--provenance")).toEqual([`mode=max,builder-id=${arn}`]);
  });

  it("assembles the batch's platform images into an annotated index tagged sha-<commit>", async () => {
    const { stdout, calls } = await build("index");
    expect(stdout.trim()).toBe(INDEX);
    const lookups = calls.filter((c) => c[1] === "codebuild").map((c) => c[2]);
    expect(lookups).toEqual(["batch-get-builds", "batch-get-build-batches", "batch-get-builds"]);
    const exported = calls.filter((c) => c[1] === "codebuild").at(-1) ?? [];
    expect(exported.slice(exported.indexOf("--ids") + 1, exported.indexOf("--query"))).toEqual([
      "shop-web:amd64-1",
      "shop-web:arm64-1",
    ]);
    const create = calls.find((c) => c[2] === "imagetools") ?? [];
    expect(create.slice(0, 4)).toEqual(["docker", "buildx", "imagetools", "create"]);
    expect(flagValues(create, "--annotation")).toEqual([
      `index:org.opencontainers.image.revision=${COMMIT}`,
      "index:org.opencontainers.image.source=https://github.com/octo-org/shop",
      `index:org.opencontainers.image.ref.name=${REF}`,
    ]);
    expect(flagValues(create, "--tag")).toEqual([`${IMAGE}:sha-${COMMIT}`]);
    expect(create.slice(-2)).toEqual([AMD, ARM]);
    const describe = calls.find((c) => c[2] === "describe-images") ?? [];
    expect(flagValues(describe, "--registry-id")).toEqual(["123456789012"]);
    expect(flagValues(describe, "--region")).toEqual(["eu-west-1"]);
    expect(flagValues(describe, "--repository-name")).toEqual(["shop/web"]);
    expect(flagValues(describe, "--image-ids")).toEqual([`imageTag=sha-${COMMIT}`]);
  });

  it("keeps an index that already exists instead of failing on the immutable tag", async () => {
    await writeFile(join(dir, "state"), "pushed");
    const { stdout, stderr, calls } = await build("index");
    expect(stdout.trim()).toBe(INDEX);
    expect(stderr).toMatch(/already exists/);
    expect(calls.some((c) => c[2] === "imagetools")).toBe(false);
  });

  it.each([
    [
      "a source version other than the commit",
      { CODEBUILD_RESOLVED_SOURCE_VERSION: "f".repeat(40) },
      /CodeBuild checked out f{40} but PORTCULLIS_COMMIT is/,
    ],
    [
      "a platform image of another repository",
      { STUB_EXPORTED: `${AMD}\t${REGISTRY}/evil/app@sha256:${"a".repeat(64)}` },
      /not an image of .*shop\/web by digest/,
    ],
    [
      "a platform job that exported nothing",
      { STUB_EXPORTED: AMD },
      /expected 2 platform images \(linux\/amd64 linux\/arm64\), got 1/,
    ],
    ["a registry that is not ECR", { PORTCULLIS_IMAGE: "ghcr.io/octo-org/shop" }, /pushes to ECR/],
  ])("refuses %s", async (_title, env, message) => {
    const { code, stderr, calls } = await build("index", env as Record<string, string>);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(calls.some((c) => c[2] === "imagetools")).toBe(false);
  });
});
