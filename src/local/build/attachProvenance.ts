import { Readable } from "node:stream";
import {
  ATTESTATION_MANIFEST,
  ATTESTATION_REFERENCE_TYPE,
  type Digest,
  MediaType,
} from "../../core/index.ts";
import { type Descriptor, digestOf, parseManifest, type RegistryClient } from "../../registry/index.ts";
import type { GitInfo } from "./gitInfo.ts";

/** The builder id the local build's provenance names (a policy's `builderPrefix` can require it). */
export const LOCAL_BUILDER_ID = "https://github.com/portcullis-dev/portcullis/buildspec/build.sh#buildah";

const STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";
const PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
const IN_TOTO_LAYER = "application/vnd.in-toto+json";

/** What {@link attachProvenance} records. */
export interface AttachProvenanceOptions {
  readonly client: RegistryClient;
  readonly repository: string;
  /** The index the build script pushed, and the build tag it is under (re-pointed at the new index). */
  readonly index: Digest;
  readonly tag: string;
  readonly git: Pick<GitInfo, "commit" | "source" | "ref">;
  /** The Dockerfile built, relative to the context (recorded as the config source's path). */
  readonly dockerfile: string;
  /** ISO 8601 build times. */
  readonly startedOn: string;
  readonly finishedOn: string;
}

/**
 * Gives a buildah-built index the build provenance BuildKit stores (buildah 1.28 writes none): for each
 * platform image, an attestation manifest (platform `unknown/unknown`, `vnd.docker.reference.type:
 * attestation-manifest`, `vnd.docker.reference.digest: <platform image>`) whose one in-toto layer holds a
 * SLSA provenance v1 statement naming the source repository and commit, in BuildKit's field layout
 * (`buildDefinition.externalParameters.configSource`, `runDetails.metadata.buildkit_metadata.vcs`). The
 * index is re-pushed under the build tag with those entries appended; resolves to its digest. An index
 * that already carries attestation manifests (a rebuild of the same commit) is left as it is.
 * https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md
 * @example const digest = await attachProvenance({ client, repository: "team/app", index, tag, git, … })
 */
export async function attachProvenance(options: AttachProvenanceOptions): Promise<Digest> {
  const { client, repository } = options;
  const raw = await client.getManifest(repository, options.index);
  const parsed = parseManifest(raw);
  if (parsed.kind !== "index") return options.index;
  if (parsed.manifests.some((m) => m.annotations?.[ATTESTATION_REFERENCE_TYPE] === ATTESTATION_MANIFEST))
    return options.index;
  const body = JSON.parse(raw.bytes.toString("utf8")) as { manifests: Descriptor[] };
  const entries: Descriptor[] = [];
  for (const platform of body.manifests) {
    if (platform.platform === undefined || platform.platform.os === "unknown") continue;
    const statement = Buffer.from(JSON.stringify(provenanceStatement(options, repository, platform)));
    const layer = await push(client, repository, statement, IN_TOTO_LAYER);
    const config = await push(
      client,
      repository,
      Buffer.from(
        JSON.stringify({
          architecture: "unknown",
          os: "unknown",
          config: {},
          rootfs: { type: "layers", diff_ids: [layer.digest] },
        }),
      ),
      MediaType.OciConfig,
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config,
        layers: [{ ...layer, annotations: { "in-toto.io/predicate-type": PROVENANCE_V1 } }],
      }),
    );
    const digest = digestOf(manifest);
    await client.putManifest(repository, digest, {
      mediaType: MediaType.OciManifest,
      digest,
      bytes: manifest,
    });
    entries.push({
      mediaType: MediaType.OciManifest,
      digest,
      size: manifest.length,
      annotations: {
        [ATTESTATION_REFERENCE_TYPE]: ATTESTATION_MANIFEST,
        "vnd.docker.reference.digest": platform.digest,
      },
      platform: { architecture: "unknown", os: "unknown" },
    });
  }
  const bytes = Buffer.from(JSON.stringify({ ...body, manifests: [...body.manifests, ...entries] }));
  const digest = digestOf(bytes);
  await client.putManifest(repository, options.tag, { mediaType: raw.mediaType, digest, bytes });
  return digest;
}

function provenanceStatement(options: AttachProvenanceOptions, repository: string, platform: Descriptor) {
  const { commit, source, ref } = options.git;
  const os = platform.platform?.os ?? "unknown";
  const arch = platform.platform?.architecture ?? "unknown";
  return {
    _type: STATEMENT_V01,
    predicateType: PROVENANCE_V1,
    subject: [
      {
        name: `pkg:docker/${options.client.registry}/${repository}@${options.tag}?platform=${encodeURIComponent(`${os}/${arch}`)}`,
        digest: { sha256: platform.digest.slice("sha256:".length) },
      },
    ],
    predicate: {
      buildDefinition: {
        buildType: "https://mobyproject.org/buildkit@v1",
        externalParameters: {
          configSource: { uri: `${source}#${ref}`, digest: { sha1: commit }, path: options.dockerfile },
          request: { frontend: "dockerfile.v0", args: {} },
        },
        internalParameters: { builder: "buildah" },
        resolvedDependencies: [{ uri: `${source}#${ref}`, digest: { sha1: commit } }],
      },
      runDetails: {
        builder: { id: LOCAL_BUILDER_ID },
        metadata: {
          startedOn: options.startedOn,
          finishedOn: options.finishedOn,
          buildkit_metadata: { vcs: { source, revision: commit } },
        },
      },
    },
  };
}

async function push(client: RegistryClient, repository: string, bytes: Buffer, mediaType: string) {
  const descriptor = { mediaType, digest: digestOf(bytes), size: bytes.length };
  await client.pushBlob(repository, descriptor, async () => Readable.from([bytes]));
  return descriptor;
}
