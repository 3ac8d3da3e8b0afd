import { MediaType } from "../../core/mediaTypes.ts";
import { RegistryError } from "../errors.ts";
import { type Descriptor, digestOf, parseManifest, type RawManifest } from "../manifest.ts";

/**
 * The referrers tag-schema index with `additions` merged in, or undefined when it already lists them all.
 * Entries already there are kept as they are (another tool's referrers are never dropped) and a digest is
 * listed once; `existing` absent means an empty index. Pure: the caller reads and writes the tag.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests-with-subject
 * @example const merged = mergeReferrersIndex(current, [signature]); if (merged) await put(tag, merged)
 */
export function mergeReferrersIndex(
  existing: RawManifest | undefined,
  additions: readonly Descriptor[],
  what: string,
): RawManifest | undefined {
  const current = existing === undefined ? [] : entriesOf(existing, what);
  const listed = new Set(current.map((d) => d.digest));
  const fresh = additions.filter((d) => !listed.has(d.digest) && listed.add(d.digest));
  if (fresh.length === 0 && existing !== undefined) return undefined;
  const body = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [...current, ...fresh] };
  const bytes = Buffer.from(JSON.stringify(body));
  return { mediaType: MediaType.OciIndex, digest: digestOf(bytes), bytes };
}

function entriesOf(existing: RawManifest, what: string): readonly Descriptor[] {
  const parsed = existing.mediaType === MediaType.OciIndex ? parseManifest(existing, what) : undefined;
  if (parsed?.kind === "index") return parsed.manifests;
  const why = `holds ${existing.mediaType}, not an OCI image index; refusing to overwrite it`;
  throw new RegistryError({
    message: `referrers tag ${what} ${why}`,
    errors: [{ code: "MANIFEST_INVALID", message: why }],
  });
}
