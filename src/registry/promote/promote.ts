import type { Digest } from "../../core/digest.ts";
import type { ValidationIssue } from "../../core/result.ts";
import { parseTagName } from "../../core/tagName.ts";
import { ValidationError } from "../../core/ValidationError.ts";
import { registryErrorFrom } from "../errors.ts";
import type { Reference } from "../name/reference.ts";
import { formatReference } from "../name/referenceFormat.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";

/** What to promote. */
export interface PromoteOptions {
  readonly client: RegistryClient;
  /** The image or index, pinned by digest. */
  readonly image: Reference;
  /** Tags to point at it (`main`, `latest`, `1.2.3`, …). */
  readonly tags: readonly string[];
}

/** What happened to one tag. */
export type TagMove =
  | { readonly kind: "moved"; readonly tag: string; readonly previous?: Digest }
  | { readonly kind: "unchanged"; readonly tag: string };

/** The outcome of {@link promote}. */
export interface PromoteResult {
  readonly digest: Digest;
  readonly image: string;
  readonly tags: readonly TagMove[];
}

/**
 * Points tags at a digest by PUTting the manifest's exact bytes under each tag (the digest never
 * changes; no blob moves). Idempotent: a tag already there is left alone. Refuses a digest the
 * registry does not have before writing anything.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
 * @example await promote({ client, image: parseRef("reg/app@sha256:…"), tags: ["main", "1.2.3"] })
 */
export async function promote(options: PromoteOptions): Promise<PromoteResult> {
  const { client, image } = options;
  const digest = checkInput(options);
  const tags = [...new Set(options.tags)];
  try {
    const manifest = await client.getManifest(image.repository, digest);
    const moves: TagMove[] = [];
    for (const tag of tags) {
      const current = await client.headManifest(image.repository, tag);
      if (current?.digest === digest) {
        moves.push({ kind: "unchanged", tag });
        continue;
      }
      await client.putManifest(image.repository, tag, manifest);
      moves.push({ kind: "moved", tag, ...(current ? { previous: current.digest } : {}) });
    }
    return { digest, image: formatReference(image), tags: moves };
  } catch (error) {
    throw registryErrorFrom(error, `promoting ${formatReference(image)} to ${tags.join(", ")}`);
  }
}

function checkInput({ client, image, tags }: PromoteOptions): Digest {
  const issues: ValidationIssue[] = [];
  if (image.digest === undefined)
    issues.push({
      field: "image",
      value: formatReference(image),
      message: "must be pinned by digest (…@sha256:…)",
    });
  if (image.registry !== client.registry)
    issues.push({
      field: "image.registry",
      value: image.registry,
      message: `must be the client's registry ${client.registry}`,
    });
  if (tags.length === 0) issues.push({ field: "tags", value: tags, message: "must name at least one tag" });
  tags.forEach((tag, i) => {
    const parsed = parseTagName(tag, `tags[${i}]`);
    if (!parsed.ok) issues.push(...parsed.error);
  });
  if (issues.length > 0 || image.digest === undefined) throw new ValidationError("promotion", issues);
  return image.digest;
}
