import { describe, expect, it } from "vitest";
import { MediaType } from "../../src/core/mediaTypes.ts";
import { platformChildren } from "../../src/release/platformChildren.ts";
import { AMD64, ARM64, ATTESTATION, digest } from "./fixtures.ts";

/** An index as `docker buildx build --platform linux/amd64,linux/arm64 --provenance=true` pushes it. */
const buildxIndex = {
  schemaVersion: 2,
  mediaType: MediaType.OciIndex,
  manifests: [
    {
      mediaType: MediaType.OciManifest,
      digest: AMD64,
      size: 1,
      platform: { architecture: "amd64", os: "linux" },
    },
    {
      mediaType: MediaType.OciManifest,
      digest: ARM64,
      size: 1,
      platform: { architecture: "arm64", os: "linux", variant: "v8" },
    },
    {
      mediaType: MediaType.OciManifest,
      digest: ATTESTATION,
      size: 1,
      annotations: {
        "vnd.docker.reference.digest": AMD64,
        "vnd.docker.reference.type": "attestation-manifest",
      },
      platform: { architecture: "unknown", os: "unknown" },
    },
  ],
};

describe("platformChildren", () => {
  it("lists the platform images of a buildx OCI index and ignores its attestation manifests", () => {
    expect(platformChildren(buildxIndex, MediaType.OciIndex)).toEqual({
      ok: true,
      value: [
        { digest: AMD64, platform: "linux/amd64", mediaType: MediaType.OciManifest },
        { digest: ARM64, platform: "linux/arm64/v8", mediaType: MediaType.OciManifest },
      ],
    });
  });

  it("lists the platform images of a Docker manifest list", () => {
    const list = {
      schemaVersion: 2,
      mediaType: MediaType.DockerManifestList,
      manifests: [
        {
          mediaType: MediaType.DockerManifest,
          digest: AMD64,
          size: 1,
          platform: { architecture: "amd64", os: "linux" },
        },
        {
          mediaType: MediaType.DockerManifest,
          digest: ARM64,
          size: 1,
          platform: { architecture: "arm", os: "linux", variant: "v7" },
        },
      ],
    };
    expect(platformChildren(list, MediaType.DockerManifestList)).toEqual({
      ok: true,
      value: [
        { digest: AMD64, platform: "linux/amd64", mediaType: MediaType.DockerManifest },
        { digest: ARM64, platform: "linux/arm/v7", mediaType: MediaType.DockerManifest },
      ],
    });
  });

  it("skips an entry with no platform, and one marked unknown/unknown without the annotation", () => {
    const index = {
      schemaVersion: 2,
      manifests: [
        buildxIndex.manifests[0],
        { mediaType: MediaType.OciManifest, digest: digest(7), size: 1 },
        {
          mediaType: MediaType.OciManifest,
          digest: digest(8),
          size: 1,
          platform: { os: "unknown", architecture: "unknown" },
        },
      ],
    };
    expect(platformChildren(index, MediaType.OciIndex)).toEqual({
      ok: true,
      value: [{ digest: AMD64, platform: "linux/amd64", mediaType: MediaType.OciManifest }],
    });
  });

  it("makes a single image manifest its own only child, with the platform from its config", () => {
    const manifest = { schemaVersion: 2, mediaType: MediaType.OciManifest, config: {}, layers: [] };
    const config = { os: "linux", architecture: "arm64", variant: "v8", config: {} };
    expect(platformChildren(manifest, MediaType.OciManifest, { digest: AMD64, config })).toEqual({
      ok: true,
      value: [{ digest: AMD64, platform: "linux/arm64/v8", mediaType: MediaType.OciManifest }],
    });
  });

  it("names a single Docker image's platform unknown when no config is given", () => {
    const manifest = { schemaVersion: 2, mediaType: MediaType.DockerManifest, config: {}, layers: [] };
    expect(platformChildren(manifest, MediaType.DockerManifest, { digest: AMD64 })).toEqual({
      ok: true,
      value: [{ digest: AMD64, platform: "unknown", mediaType: MediaType.DockerManifest }],
    });
  });

  const entry = (fields: Record<string, unknown>) => ({ schemaVersion: 2, manifests: [fields] });
  const amd64 = { architecture: "amd64", os: "linux" };
  it.each([
    ["a manifest that is not an object", "nope", MediaType.OciIndex, "manifest", "nope"],
    ["an array", [], MediaType.OciIndex, "manifest", []],
    [
      "schema version 1",
      { schemaVersion: 1, manifests: [] },
      MediaType.OciIndex,
      "manifest.schemaVersion",
      1,
    ],
    [
      "a mediaType field that contradicts the one served",
      { ...buildxIndex, mediaType: MediaType.DockerManifestList },
      MediaType.OciIndex,
      "manifest.mediaType",
      MediaType.DockerManifestList,
    ],
    ["an unknown media type", buildxIndex, "application/json", "mediaType", "application/json"],
    ["an index without manifests", { schemaVersion: 2 }, MediaType.OciIndex, "manifest.manifests", undefined],
    [
      "an index of attestations only",
      { schemaVersion: 2, manifests: [buildxIndex.manifests[2]] },
      MediaType.OciIndex,
      "manifest.manifests",
      1,
    ],
    ["an empty index", { schemaVersion: 2, manifests: [] }, MediaType.OciIndex, "manifest.manifests", 0],
    [
      "a child digest with uppercase hex",
      entry({
        mediaType: MediaType.OciManifest,
        digest: AMD64.toUpperCase().replace("SHA256", "sha256"),
        platform: amd64,
      }),
      MediaType.OciIndex,
      "manifest.manifests[0].digest",
      AMD64.toUpperCase().replace("SHA256", "sha256"),
    ],
    [
      "a sha512 child digest",
      entry({ mediaType: MediaType.OciManifest, digest: `sha512:${"a".repeat(128)}`, platform: amd64 }),
      MediaType.OciIndex,
      "manifest.manifests[0].digest",
      `sha512:${"a".repeat(128)}`,
    ],
    [
      "a nested index",
      entry({ mediaType: MediaType.OciIndex, digest: AMD64, platform: amd64 }),
      MediaType.OciIndex,
      "manifest.manifests[0].mediaType",
      MediaType.OciIndex,
    ],
    [
      "an artifact with a real platform",
      entry({ mediaType: "application/vnd.example+json", digest: AMD64, platform: amd64 }),
      MediaType.OciIndex,
      "manifest.manifests[0].mediaType",
      "application/vnd.example+json",
    ],
    [
      "a platform with a bad architecture",
      entry({
        mediaType: MediaType.OciManifest,
        digest: AMD64,
        platform: { os: "linux", architecture: "AMD 64" },
      }),
      MediaType.OciIndex,
      "manifest.manifests[0].platform.architecture",
      "AMD 64",
    ],
    [
      "the same child twice",
      { schemaVersion: 2, manifests: [buildxIndex.manifests[0], buildxIndex.manifests[0]] },
      MediaType.OciIndex,
      "manifest.manifests[1].digest",
      AMD64,
    ],
    [
      "a single image without its digest",
      { schemaVersion: 2 },
      MediaType.OciManifest,
      "image.digest",
      undefined,
    ],
  ])("refuses %s, naming the field", (_title, manifest, mediaType, field, value) => {
    const result = platformChildren(manifest, mediaType);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual([{ field, value, message: expect.any(String) }]);
  });
});
