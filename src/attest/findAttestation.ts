import type { KeyObject } from "node:crypto";
import type { Digest } from "../core/digest.ts";
import { findReferrers, parseManifest, type RegistryClient } from "../registry/index.ts";
import { ATTESTATION_ARTIFACT_TYPE, PREDICATE_TYPE_ANNOTATION } from "./attestationArtifact.ts";
import { type AttestationCheck, checkAttestation } from "./checkAttestation.ts";
import { VSA_PREDICATE_TYPE } from "./VerificationSummary.ts";

/** Largest envelope read (a verification summary is a few kilobytes). */
const MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;

/** What verifying an image found: the newest attestation that verifies, else why none does. */
export type AttestationFinding =
  | (Extract<AttestationCheck, { ok: true }> & { readonly attestation: Digest })
  | {
      readonly ok: false;
      readonly reason: string;
      readonly rejected: readonly { digest: Digest; reason: string }[];
    };

/**
 * Finds Portcullis's verification summaries of `digest` by referrers (API or tag schema), newest first, and
 * returns the first whose signature and subject check out with `publicKey` ({@link checkAttestation}).
 * @example const found = await findAttestation(client, "team/app", digest, publicKey)
 */
export async function findAttestation(
  client: RegistryClient,
  repository: string,
  digest: Digest,
  publicKey: KeyObject,
): Promise<AttestationFinding> {
  const { manifests } = await findReferrers(client, repository, digest, ATTESTATION_ARTIFACT_TYPE);
  const candidates = manifests
    .filter((d) => d.annotations?.[PREDICATE_TYPE_ANNOTATION] === VSA_PREDICATE_TYPE)
    .sort((a, b) => created(b).localeCompare(created(a)));
  const rejected: { digest: Digest; reason: string }[] = [];
  for (const descriptor of candidates) {
    const manifest = await client.getManifest(repository, descriptor.digest);
    const parsed = parseManifest(manifest);
    const layer = parsed.kind === "image" ? parsed.layers[0] : undefined;
    if (layer === undefined || layer.size > MAX_ENVELOPE_BYTES) {
      rejected.push({ digest: descriptor.digest, reason: "it has no envelope layer of a sensible size" });
      continue;
    }
    const envelope = await readAll(await client.getBlob(repository, layer));
    const check = checkAttestation({ manifest, envelope, digest, publicKey });
    if (check.ok) return { ...check, attestation: descriptor.digest };
    rejected.push({ digest: descriptor.digest, reason: check.reason });
  }
  const reason =
    rejected.length === 0
      ? `no Portcullis verification summary refers to ${client.registry}/${repository}@${digest}`
      : rejected.map((r) => `attestation ${r.digest}: ${r.reason}`).join("; ");
  return { ok: false, reason, rejected };
}

function created(descriptor: { annotations?: Readonly<Record<string, string>> }): string {
  return descriptor.annotations?.["org.opencontainers.image.created"] ?? "";
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
