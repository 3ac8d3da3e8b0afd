import { Readable } from "node:stream";
import type { RegistryClient } from "../registry/index.ts";
import { pushReferrer } from "../registry/referrers/pushReferrer.ts";
import type { AttestationArtifact } from "./attestationArtifact.ts";

/**
 * Pushes an attestation next to its subject: blobs, then the manifest by digest, listed by the registry's
 * referrers API or the subject's `sha256-<hex>` tag. A copy of the image brings it along (referrer copy).
 * @example await pushAttestation(client, "team/app", attestationArtifact(envelope, index, now))
 */
export async function pushAttestation(
  client: RegistryClient,
  repository: string,
  artifact: AttestationArtifact,
): Promise<void> {
  for (const { descriptor, bytes } of artifact.blobs)
    await client.pushBlob(repository, descriptor, async () => Readable.from([bytes]));
  await pushReferrer(client, repository, artifact.manifest);
}
