import { type Descriptor, digestOf, type RawManifest } from "../registry/index.ts";
import type { DsseEnvelope } from "./DsseEnvelope.ts";
import { VSA_PREDICATE_TYPE } from "./VerificationSummary.ts";

/** The artifact type Portcullis's attestations carry (and the referrers API filters on). */
export const ATTESTATION_ARTIFACT_TYPE = "application/vnd.dsse.envelope.v1+json";
/** The layer media type of the envelope. */
export const ENVELOPE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
/** Annotation naming the statement's predicate type, as BuildKit and cosign write it. */
export const PREDICATE_TYPE_ANNOTATION = "in-toto.io/predicate-type";

const EMPTY_CONFIG = Buffer.from("{}");
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/** An attestation as OCI content: its blobs (empty config, envelope) and the manifest naming the subject. */
export interface AttestationArtifact {
  readonly manifest: RawManifest;
  readonly blobs: readonly { readonly descriptor: Descriptor; readonly bytes: Buffer }[];
}

/**
 * Packs a signed envelope as an OCI 1.1 artifact whose `subject` is the decided index: the empty config,
 * one layer holding the envelope JSON, the artifact type and predicate type as annotations.
 * https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage
 * @example const artifact = attestationArtifact(envelope, { mediaType, digest, size }, "2026-12-07T00:00:00Z")
 */
export function attestationArtifact(
  envelope: DsseEnvelope,
  subject: Descriptor,
  created: string,
): AttestationArtifact {
  const envelopeBytes = Buffer.from(JSON.stringify(envelope));
  const config = blob(EMPTY_CONFIG, "application/vnd.oci.empty.v1+json");
  const layer = blob(envelopeBytes, ENVELOPE_MEDIA_TYPE);
  const body = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: ATTESTATION_ARTIFACT_TYPE,
    config: config.descriptor,
    layers: [layer.descriptor],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      "org.opencontainers.image.created": created,
      [PREDICATE_TYPE_ANNOTATION]: VSA_PREDICATE_TYPE,
    },
  };
  const bytes = Buffer.from(JSON.stringify(body));
  return { manifest: { mediaType: OCI_MANIFEST, digest: digestOf(bytes), bytes }, blobs: [config, layer] };
}

function blob(bytes: Buffer, mediaType: string) {
  return { descriptor: { mediaType, digest: digestOf(bytes), size: bytes.length }, bytes };
}
