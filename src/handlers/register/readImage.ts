import {
  type CandidateKey,
  fail,
  isIndexMediaType,
  ok,
  type Result,
  type ValidationIssue,
} from "../../core/index.ts";
import {
  type Descriptor,
  parseManifest,
  type RawManifest,
  type RegistryClient,
} from "../../registry/index.ts";
import {
  type CandidateKind,
  type Child,
  GitAnnotation,
  type GitMetadata,
  gitMetadata,
  platformChildren,
} from "../../release/index.ts";

/** What registration needs to know about a pushed manifest. */
export interface PushedImage {
  readonly kind: CandidateKind;
  /** The platform images to wait for (attestations left out); for a single image, the image itself. */
  readonly children: readonly Child[];
  readonly git: GitMetadata;
}

/** Config blobs are small; a larger one is refused rather than read into memory. */
const MAX_CONFIG_BYTES = 1024 * 1024;

type Json = Record<string, unknown>;

/**
 * Reads a pushed manifest from the registry: for an index, its platform children and annotations (falling
 * back to the first platform image's config labels for git metadata the annotations lack); for a single
 * image, the image itself with the platform and labels of its config. Refusals name the field and value.
 * @example const image = await readImage(client, key); if (image.ok) image.value.children
 */
export async function readImage(client: RegistryClient, key: CandidateKey): Promise<Result<PushedImage>> {
  const raw = await client.getManifest(key.repository, key.digest);
  const json = parseJson(raw.bytes);
  if (json === undefined)
    return fail([{ field: "manifest", value: key.digest, message: "is not a JSON object" }]);
  const annotations = asRecord(json.annotations);
  if (isIndexMediaType(raw.mediaType)) {
    const children = platformChildren(json, raw.mediaType);
    if (!children.ok) return children;
    const first = children.value[0];
    const labels =
      first !== undefined && lacksGitAnnotation(annotations)
        ? await childLabels(client, key.repository, first.digest)
        : undefined;
    return withGit("index", children.value, annotations, labels);
  }
  const config = await readConfig(client, key.repository, raw);
  if (!config.ok) return config;
  const children = platformChildren(json, raw.mediaType, { digest: key.digest, config: config.value });
  if (!children.ok) return children;
  return withGit("image", children.value, annotations, labelsOf(config.value));
}

function withGit(
  kind: CandidateKind,
  children: readonly Child[],
  annotations: Json | undefined,
  labels: Json | undefined,
): Result<PushedImage> {
  const git = gitMetadata({ annotations, labels });
  return git.ok ? ok({ kind, children, git: git.value }) : git;
}

async function childLabels(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<Json | undefined> {
  const raw = await client.getManifest(repository, digest);
  const config = await readConfig(client, repository, raw);
  return config.ok ? labelsOf(config.value) : undefined;
}

async function readConfig(
  client: RegistryClient,
  repository: string,
  raw: RawManifest,
): Promise<Result<Json>> {
  const manifest = parseManifest(raw);
  if (manifest.kind !== "image")
    return fail([
      { field: "manifest.mediaType", value: raw.mediaType, message: "must be an image manifest" },
    ]);
  const blob: Descriptor = manifest.config;
  if (blob.size > MAX_CONFIG_BYTES) {
    const message = `is ${blob.size} bytes, more than the ${MAX_CONFIG_BYTES} an image config may have here`;
    return fail([{ field: "manifest.config.size", value: blob.size, message }]);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await client.getBlob(repository, blob)) chunks.push(chunk as Buffer);
  const json = parseJson(Buffer.concat(chunks));
  if (json === undefined) return fail([configIssue(blob)]);
  return ok(json);
}

function configIssue(blob: Descriptor): ValidationIssue {
  return { field: "manifest.config", value: blob.digest, message: "is not a JSON object" };
}

/** OCI image config labels live in `config.Labels`. */
function labelsOf(config: Json): Json | undefined {
  return asRecord(asRecord(config.config)?.Labels);
}

function lacksGitAnnotation(annotations: Json | undefined): boolean {
  return Object.values(GitAnnotation).some(
    (key) => typeof annotations?.[key] !== "string" || annotations[key] === "",
  );
}

function parseJson(bytes: Buffer): Json | undefined {
  try {
    return asRecord(JSON.parse(bytes.toString("utf8")));
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}
