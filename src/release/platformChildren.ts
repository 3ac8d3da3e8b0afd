import { type Digest, parseDigest } from "../core/digest.ts";
import {
  ATTESTATION_MANIFEST,
  ATTESTATION_REFERENCE_TYPE,
  isImageManifestMediaType,
  isIndexMediaType,
} from "../core/mediaTypes.ts";
import { fail, ok, type Result, type ValidationIssue } from "../core/result.ts";
import type { Child } from "./Candidate.ts";
import { formatPlatform } from "./formatPlatform.ts";

/** The single image itself, when the manifest is not an index. */
export interface SingleImage {
  readonly digest: Digest;
  /** The image config JSON (for its `os`, `architecture`, `variant`); the platform is `unknown` without it. */
  readonly config?: unknown;
}

type Json = Record<string, unknown>;

/**
 * Lists the platform images of an OCI image index or Docker manifest list, skipping buildx attestation
 * manifests and entries without a real platform (`unknown/unknown` or none: no runtime ever selects them).
 * For a single image manifest the only child is the image itself. Refuses nested indexes, entries of
 * other media types with a real platform, duplicate digests, and an index with no platform image.
 * https://github.com/opencontainers/image-spec/blob/main/image-index.md
 * @example platformChildren(indexJson, MediaType.OciIndex) // => ok([{ digest, platform: "linux/amd64", mediaType }, …])
 */
export function platformChildren(manifest: unknown, mediaType: string, image?: SingleImage): Result<Child[]> {
  if (!isIndexMediaType(mediaType) && !isImageManifestMediaType(mediaType)) {
    return fail([
      { field: "mediaType", value: mediaType, message: "is not an image index or image manifest" },
    ]);
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    return fail([{ field: "manifest", value: manifest, message: "must be a JSON object" }]);
  }
  const json = manifest as Json;
  if (json.schemaVersion !== 2) {
    return fail([{ field: "manifest.schemaVersion", value: json.schemaVersion, message: "must be 2" }]);
  }
  if (json.mediaType !== undefined && json.mediaType !== mediaType) {
    return fail([
      { field: "manifest.mediaType", value: json.mediaType, message: `does not match ${mediaType}` },
    ]);
  }
  return isIndexMediaType(mediaType) ? indexChildren(json) : imageChild(mediaType, image);
}

function indexChildren(index: Json): Result<Child[]> {
  if (!Array.isArray(index.manifests)) {
    return fail([{ field: "manifest.manifests", value: index.manifests, message: "must be an array" }]);
  }
  const children: Child[] = [];
  for (const [i, entry] of index.manifests.entries()) {
    const child = indexEntry(entry, `manifest.manifests[${i}]`);
    if (!child.ok) return child;
    if (child.value === undefined) continue;
    const { digest } = child.value;
    if (children.some((c) => c.digest === digest)) {
      return fail([{ field: `manifest.manifests[${i}].digest`, value: digest, message: "is listed twice" }]);
    }
    children.push(child.value);
  }
  if (children.length === 0) {
    return fail([
      {
        field: "manifest.manifests",
        value: index.manifests.length,
        message: "has no platform image (only attestations or unknown platforms)",
      },
    ]);
  }
  return ok(children);
}

function indexEntry(entry: unknown, field: string): Result<Child | undefined> {
  if (typeof entry !== "object" || entry === null) {
    return fail([{ field, value: entry, message: "must be a descriptor object" }]);
  }
  const { digest, mediaType, platform, annotations } = entry as Json;
  const parsedDigest = parseDigest(digest, `${field}.digest`);
  if (!parsedDigest.ok) return parsedDigest;
  if ((annotations as Json | undefined)?.[ATTESTATION_REFERENCE_TYPE] === ATTESTATION_MANIFEST)
    return ok(undefined);
  const name = formatPlatform(platform, `${field}.platform`);
  if (!name.ok) return name;
  if (name.value === undefined) return ok(undefined);
  if (typeof mediaType !== "string" || !isImageManifestMediaType(mediaType)) {
    const message = isIndexMediaType(mediaType as string)
      ? "is a nested index, which Portcullis does not gate"
      : "must be an OCI or Docker image manifest media type";
    return fail([{ field: `${field}.mediaType`, value: mediaType, message }]);
  }
  return ok({ digest: parsedDigest.value, platform: name.value, mediaType });
}

function imageChild(mediaType: string, image: SingleImage | undefined): Result<Child[]> {
  const digest = parseDigest(image?.digest, "image.digest");
  if (!digest.ok) return digest;
  const config = image?.config as Json | undefined;
  const platform = config === undefined ? ok(undefined) : formatPlatform(config, "image.config");
  if (!platform.ok) return platform as { ok: false; error: ValidationIssue[] };
  return ok([{ digest: digest.value, platform: platform.value ?? "unknown", mediaType }]);
}
