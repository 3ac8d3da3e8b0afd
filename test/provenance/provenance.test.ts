import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATTESTATION_MANIFEST, ATTESTATION_REFERENCE_TYPE, MediaType } from "../../src/core/index.ts";
import { checkProvenance } from "../../src/provenance/checkProvenance.ts";
import { provenanceOf } from "../../src/provenance/provenanceOf.ts";
import { readProvenance } from "../../src/provenance/readProvenance.ts";
import { createRegistryClient, type RegistryClient } from "../../src/registry/index.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { descriptorOf, memoryBlob, pushTestImage, randomImage, rawManifest } from "../support/testImages.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const BUILDER = "arn:aws:codebuild:us-east-1:123456789012:build/portcullis-app:1";

/** Shaped as BuildKit's mode=max SLSA v0.2 provenance (moby/buildkit docs/attestations/slsa-definitions.md). */
function v02(source = "https://github.com/Org/App.git#refs/heads/main", revision = COMMIT) {
  return {
    _type: "https://in-toto.io/Statement/v0.1",
    predicateType: "https://slsa.dev/provenance/v0.2",
    subject: [{ name: "pkg:docker/app", digest: { sha256: "a".repeat(64) } }],
    predicate: {
      builder: { id: BUILDER },
      buildType: "https://mobyproject.org/buildkit@v1",
      invocation: { configSource: { uri: source, digest: { sha1: revision } } },
      metadata: { "https://mobyproject.org/buildkit@v1#metadata": { vcs: { source, revision } } },
    },
  };
}

/** The v1 shape (`--provenance version=v1`): local-context builds carry vcs only in the metadata. */
function v1() {
  return {
    _type: "https://in-toto.io/Statement/v1",
    predicateType: "https://slsa.dev/provenance/v1",
    subject: [],
    predicate: {
      buildDefinition: {
        buildType: "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md",
        externalParameters: {},
      },
      runDetails: {
        builder: { id: BUILDER },
        metadata: { buildkit_metadata: { vcs: { source: "https://github.com/org/app", revision: COMMIT } } },
      },
    },
  };
}

describe("provenanceOf", () => {
  it.each([
    ["SLSA v0.2", v02()],
    ["SLSA v1", v1()],
  ])("reads source, commit and builder from BuildKit's %s provenance", (_name, statement) => {
    expect(provenanceOf(statement)).toMatchObject({
      source: "https://github.com/org/app",
      revision: COMMIT,
      builder: BUILDER,
    });
  });

  it("reads nothing from another predicate or a non-object", () => {
    expect(provenanceOf({ ...v02(), predicateType: "https://spdx.dev/Document" })).toBeUndefined();
    expect(provenanceOf("nope")).toBeUndefined();
  });
});

describe("checkProvenance", () => {
  const expected = {
    sourceRepository: "https://github.com/org/app",
    revision: COMMIT,
    builderPrefix: "arn:aws:codebuild:us-east-1:123456789012:build/portcullis-app:",
  };
  it.each<[string, Parameters<typeof checkProvenance>[0], string[]]>([
    [
      "matching provenance on every platform",
      { "linux/amd64": provenanceOf(v02()), "linux/arm64": provenanceOf(v1()) },
      [],
    ],
    [
      "a platform without provenance",
      { "linux/amd64": provenanceOf(v02()), "linux/arm64": undefined },
      ["linux/arm64: no build provenance attestation in the index"],
    ],
    [
      "another repository",
      { "linux/amd64": provenanceOf(v02("https://github.com/evil/app")) },
      ["linux/amd64: provenance names source https://github.com/evil/app, not https://github.com/org/app"],
    ],
    [
      "another commit",
      { "linux/amd64": provenanceOf(v02(undefined, "f".repeat(40))) },
      [`linux/amd64: provenance names commit ${"f".repeat(40)}, not ${COMMIT}`],
    ],
  ])("%s", (_title, facts, reasons) => {
    expect(checkProvenance(facts, expected).map((p) => `${p.platform}: ${p.detail}`)).toEqual(reasons);
  });

  it("fails another builder, and a candidate that names no commit", () => {
    const facts = { "linux/amd64": { ...provenanceOf(v02()), builder: "laptop", predicateType: "x" } };
    expect(
      checkProvenance(facts, { ...expected, revision: undefined }).map((p) => `${p.platform}: ${p.detail}`),
    ).toEqual([
      "linux/amd64: the image names no commit to compare with",
      "linux/amd64: provenance names builder laptop, not arn:aws:codebuild:us-east-1:123456789012:build/portcullis-app:…",
    ]);
  });
});

describe("readProvenance", () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  beforeAll(async () => {
    registry = await startRegistry();
    client = createRegistryClient(registry.host);
  });
  afterAll(async () => {
    client?.close();
    await registry?.stop();
  });

  it("finds each platform's provenance in the index's unknown/unknown attestation manifest", async () => {
    const image = await randomImage([2048]);
    const statement = memoryBlob(Buffer.from(JSON.stringify(v02())), "application/vnd.in-toto+json");
    const sbom = memoryBlob(Buffer.from('{"spdxVersion":"SPDX-2.3"}'), "application/vnd.in-toto+json");
    const config = memoryBlob(
      Buffer.from(
        JSON.stringify({
          architecture: "unknown",
          os: "unknown",
          config: {},
          rootfs: { type: "layers", diff_ids: [] },
        }),
      ),
      MediaType.OciConfig,
    );
    const attestation = rawManifest(MediaType.OciManifest, {
      config: config.descriptor,
      layers: [
        { ...sbom.descriptor, annotations: { "in-toto.io/predicate-type": "https://spdx.dev/Document" } },
        {
          ...statement.descriptor,
          annotations: { "in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2" },
        },
      ],
    });
    const index = rawManifest(MediaType.OciIndex, {
      manifests: [
        { ...descriptorOf(image.root), platform: { architecture: "amd64", os: "linux" } },
        {
          ...descriptorOf(attestation),
          platform: { architecture: "unknown", os: "unknown" },
          annotations: {
            [ATTESTATION_REFERENCE_TYPE]: ATTESTATION_MANIFEST,
            "vnd.docker.reference.digest": image.root.digest,
          },
        },
      ],
    });
    await pushTestImage(client, "prov/app", {
      root: index,
      manifests: [image.root, attestation, index],
      blobs: [...image.blobs, config, sbom, statement],
    });
    expect(await readProvenance(client, "prov/app", index)).toEqual({
      [image.root.digest]: expect.objectContaining({
        source: "https://github.com/org/app",
        revision: COMMIT,
        builder: BUILDER,
      }),
    });
  });
});
