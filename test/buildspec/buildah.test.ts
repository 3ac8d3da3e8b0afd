import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRegistry, type TestRegistry } from "../support/registry.ts";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const SCRIPT = join(ROOT, "buildspec/build.sh");
const COMMIT = "5f0c6a4e9d2b8c1a7e3f6b0d4c9a2e8f1b7d3c5a";
const SOURCE = "https://github.com/portcullis-dev/portcullis";

interface Descriptor {
  mediaType: string;
  digest: string;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

/** The build script with buildah, its own storage, pushing to a distribution registry on loopback. */
describe("build.sh with buildah (the local pipeline's builder)", () => {
  let registry: TestRegistry;
  let dir: string;
  let image: string;
  const hostileRef = () => `refs/heads/x$(touch\${IFS}${dir}/pwned)\`touch\${IFS}${dir}/pwned2\`;echo`;

  beforeAll(async () => {
    registry = await startRegistry();
    dir = await mkdtemp(join(tmpdir(), "portcullis-buildah-"));
    image = `${registry.host}/portcullis/example-app`;
    await writeFile(
      join(dir, "storage.conf"),
      `[storage]\ndriver = "vfs"\ngraphroot = "${dir}/graph"\nrunroot = "${dir}/run"\n`,
    );
  });

  afterAll(async () => {
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function build(step: string, env: Record<string, string> = {}) {
    return run("bash", [SCRIPT, step], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: dir,
        TMPDIR: dir,
        CONTAINERS_STORAGE_CONF: join(dir, "storage.conf"),
        PORTCULLIS_BUILDER: "buildah",
        PORTCULLIS_IMAGE: image,
        PORTCULLIS_COMMIT: COMMIT,
        PORTCULLIS_REF: hostileRef(),
        PORTCULLIS_SOURCE_URL: SOURCE,
        PORTCULLIS_CONTEXT: "examples/app",
        PORTCULLIS_DOCKERFILE: "Dockerfile.offline", // offline: the FROM scratch variant
        PORTCULLIS_PLATFORMS: "linux/amd64 linux/arm64",
        PORTCULLIS_TLS_VERIFY: "false",
        ...env,
      },
    });
  }

  async function raw(reference: string, ...flags: string[]): Promise<string> {
    const { stdout } = await run("skopeo", [
      "inspect",
      "--raw",
      "--tls-verify=false",
      ...flags,
      `docker://${reference}`,
    ]);
    return stdout;
  }

  it("builds amd64 and arm64 natively and pushes one annotated OCI index as sha-<commit>", async () => {
    const { stdout } = await build("all");
    const digest = stdout.trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const indexBytes = await raw(`${image}:sha-${COMMIT}`);
    expect(`sha256:${createHash("sha256").update(indexBytes).digest("hex")}`).toBe(digest);
    const index = JSON.parse(indexBytes) as { mediaType: string; manifests: Descriptor[] };
    expect(index.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    expect(index.manifests.map((m) => m.platform?.architecture).sort()).toEqual(["amd64", "arm64"]);

    for (const child of index.manifests) {
      expect(child.annotations).toMatchObject({
        "org.opencontainers.image.revision": COMMIT,
        "org.opencontainers.image.source": SOURCE,
        "org.opencontainers.image.ref.name": hostileRef(),
      });
      const config = JSON.parse(await raw(`${image}@${child.digest}`, "--config")) as {
        architecture: string;
        config: { Labels: Record<string, string> };
      };
      expect(config.architecture).toBe(child.platform?.architecture);
      expect(config.config.Labels["org.opencontainers.image.revision"]).toBe(COMMIT);
      expect(config.config.Labels["org.opencontainers.image.ref.name"]).toBe(hostileRef());
    }
  });

  it("never evaluates the git ref: shell syntax in a branch name stays text", async () => {
    await expect(access(join(dir, "pwned"))).rejects.toThrow();
    await expect(access(join(dir, "pwned2"))).rejects.toThrow();
  });

  it("keeps an existing build tag: a rebuild of the same commit prints the digest already there", async () => {
    const before = await raw(`${image}:sha-${COMMIT}`);
    const { stdout, stderr } = await build("all", { PORTCULLIS_SOURCE_URL: "https://example.com/other" });
    expect(stderr).toMatch(/already exists \(build tags are immutable\)/);
    expect(stdout.trim()).toBe(`sha256:${createHash("sha256").update(before).digest("hex")}`);
    expect(await raw(`${image}:sha-${COMMIT}`)).toBe(before);
  });

  it.each([
    ["a short commit", { PORTCULLIS_COMMIT: "5f0c6a4" }, /PORTCULLIS_COMMIT must be a full 40-character/],
    [
      "an image with a tag",
      { PORTCULLIS_IMAGE: "127.0.0.1:5000/app:latest" },
      /PORTCULLIS_IMAGE must be HOST/,
    ],
    ["an unknown builder", { PORTCULLIS_BUILDER: "kaniko" }, /PORTCULLIS_BUILDER must be buildx or buildah/],
    ["a missing Dockerfile", { PORTCULLIS_DOCKERFILE: "Nope" }, /no Dockerfile at "examples\/app\/Nope"/],
    [
      "a ref with a newline",
      { PORTCULLIS_REF: "refs/heads/a\nb" },
      /PORTCULLIS_REF must not contain control/,
    ],
    [
      "an unknown platform",
      { PORTCULLIS_PLATFORM: "linux/s390x" },
      /platform must be linux\/amd64 or linux\/arm64/,
    ],
  ])("refuses %s before building anything", async (_title, env, message) => {
    const failed = await build("image", env).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(message);
  });
});
