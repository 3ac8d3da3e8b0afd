import { ATTESTATION_MANIFEST, ATTESTATION_REFERENCE_TYPE } from "../core/mediaTypes.ts";
import { parseManifest, type RawManifest, type RegistryClient } from "../registry/index.ts";
import { PROVENANCE_PREDICATE_TYPES, type ProvenanceFacts, provenanceOf } from "./provenanceOf.ts";

/** Largest statement read (BuildKit's mode=max provenance is tens of kilobytes). */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;
const PREDICATE_ANNOTATION = "in-toto.io/predicate-type";

/**
 * Reads the build provenance BuildKit stores in an index: for each platform image, the `unknown/unknown`
 * attestation manifest naming it (`vnd.docker.reference.digest`), and in it the layer annotated with a SLSA
 * provenance predicate type. Keyed by the platform image's digest; a platform without one is absent.
 * https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md
 * @example const facts = await readProvenance(client, "team/app", index)
 */
export async function readProvenance(
  client: RegistryClient,
  repository: string,
  index: RawManifest,
): Promise<Record<string, ProvenanceFacts>> {
  const parsed = parseManifest(index);
  if (parsed.kind !== "index") return {};
  const found: Record<string, ProvenanceFacts> = {};
  for (const entry of parsed.manifests) {
    const subject = entry.annotations?.["vnd.docker.reference.digest"];
    if (entry.annotations?.[ATTESTATION_REFERENCE_TYPE] !== ATTESTATION_MANIFEST || subject === undefined)
      continue;
    const attestation = parseManifest(await client.getManifest(repository, entry.digest));
    if (attestation.kind !== "image") continue;
    for (const layer of attestation.layers) {
      const type = layer.annotations?.[PREDICATE_ANNOTATION];
      if (
        type === undefined ||
        !PROVENANCE_PREDICATE_TYPES.includes(type) ||
        layer.size > MAX_STATEMENT_BYTES
      )
        continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await client.getBlob(repository, layer)) chunks.push(chunk as Buffer);
      const facts = provenanceOf(parseJson(Buffer.concat(chunks)));
      if (facts) found[subject] = facts;
    }
  }
  return found;
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}
