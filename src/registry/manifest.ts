import { createHash } from "node:crypto";
import { type Digest, isDigest } from "../core/digest.ts";
import { isImageManifestMediaType, isIndexMediaType, MANIFEST_MEDIA_TYPES } from "../core/mediaTypes.ts";
import { RegistryError } from "./errors.ts";

/** A content descriptor, per https://github.com/opencontainers/image-spec/blob/main/descriptor.md */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly platform?: { readonly architecture: string; readonly os: string; readonly variant?: string };
  readonly annotations?: Readonly<Record<string, string>>;
  /** The artifact type of a referrer (OCI 1.1), as the referrers API and tag-schema index list it. */
  readonly artifactType?: string;
}

/** A manifest exactly as the registry served it: re-pushing these bytes never changes the digest. */
export interface RawManifest {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly bytes: Buffer;
}

/** What a manifest points at: an index lists manifests, an image lists a config and layers. */
export type ParsedManifest =
  | { readonly kind: "index"; readonly mediaType: string; readonly manifests: readonly Descriptor[] }
  | {
      readonly kind: "image";
      readonly mediaType: string;
      readonly config: Descriptor;
      readonly layers: readonly Descriptor[];
    };

/** The sha256 digest of some bytes. */
export function digestOf(bytes: Buffer): Digest {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/**
 * Picks a manifest's media type from the Content-Type header, falling back to its `mediaType` field,
 * and refuses what we do not copy (schema 1, unknown artifacts' index types, …).
 */
export function manifestMediaType(contentType: string | undefined, bytes: Buffer, what: string): string {
  const header = contentType?.split(";")[0]?.trim();
  const declared = declaredMediaType(bytes);
  const generic = !header || header === "application/json" || header === "application/octet-stream";
  const mediaType = generic ? declared : header;
  if (mediaType === undefined) throw invalid(what, "has no media type (neither Content-Type nor mediaType)");
  if (!MANIFEST_MEDIA_TYPES.includes(mediaType)) throw unsupported(what, mediaType);
  if (declared !== undefined && declared !== mediaType)
    throw invalid(what, `is served as ${mediaType} but declares mediaType ${declared}`);
  return mediaType;
}

/**
 * Parses a manifest's references (index children, or config and layers), validating every descriptor.
 * https://github.com/opencontainers/image-spec/blob/main/manifest.md and …/image-index.md
 */
export function parseManifest(raw: RawManifest, what: string = raw.digest): ParsedManifest {
  const json = parseJson(raw.bytes, what) as { manifests?: unknown; config?: unknown; layers?: unknown };
  if (isIndexMediaType(raw.mediaType)) {
    return {
      kind: "index",
      mediaType: raw.mediaType,
      manifests: descriptors(json.manifests, `${what} manifests`),
    };
  }
  if (!isImageManifestMediaType(raw.mediaType)) throw unsupported(what, raw.mediaType);
  return {
    kind: "image",
    mediaType: raw.mediaType,
    config: descriptor(json.config, `${what} config`),
    layers: descriptors(json.layers, `${what} layers`),
  };
}

/** Foreign and non-distributable layers live elsewhere (their `urls`); registries need not hold them. */
export function isDistributable(layer: Descriptor): boolean {
  return !(layer.urls?.length || /nondistributable|foreign/.test(layer.mediaType));
}

function declaredMediaType(bytes: Buffer): string | undefined {
  try {
    const value = (JSON.parse(bytes.toString("utf8")) as { mediaType?: unknown }).mediaType;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(bytes: Buffer, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalid(what, "is not a JSON object");
}

function descriptors(value: unknown, what: string): Descriptor[] {
  if (!Array.isArray(value)) throw invalid(what, "must be an array of descriptors");
  return value.map((entry, i) => descriptor(entry, `${what}[${i}]`));
}

function descriptor(value: unknown, what: string): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (d === null || typeof d !== "object") throw invalid(what, "must be a descriptor object");
  if (typeof d.mediaType !== "string") throw invalid(what, "has no mediaType");
  if (!isDigest(d.digest)) throw invalid(what, `has digest ${JSON.stringify(d.digest)}, not sha256:<64 hex>`);
  if (!Number.isSafeInteger(d.size) || (d.size ?? -1) < 0)
    throw invalid(what, `has size ${JSON.stringify(d.size)}`);
  return d as Descriptor;
}

function invalid(what: string, why: string): RegistryError {
  return new RegistryError({
    message: `manifest ${what} ${why}`,
    errors: [{ code: "MANIFEST_INVALID", message: why }],
  });
}

function unsupported(what: string, mediaType: string): RegistryError {
  const why = `has unsupported media type ${mediaType} (supported: ${MANIFEST_MEDIA_TYPES.join(", ")})`;
  return new RegistryError({
    message: `manifest ${what} ${why}`,
    errors: [{ code: "UNSUPPORTED", message: why }],
  });
}
