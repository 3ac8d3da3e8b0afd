import { RegistryError } from "../errors.ts";
import type { Descriptor, RawManifest } from "../manifest.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import { hasReferrersApi } from "./findReferrers.ts";
import { updateReferrersTag } from "./updateReferrersTag.ts";

/**
 * Pushes a manifest that has a `subject` (its blobs already there) by digest and makes the registry list it:
 * its referrers API does that itself; without one, the subject's tag-schema index is merged, as the spec's
 * "Pushing Manifests with Subject" asks of clients.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests-with-subject
 * @example await pushReferrer(client, "team/app", attestation)
 */
export async function pushReferrer(
  client: RegistryClient,
  repository: string,
  manifest: RawManifest,
): Promise<void> {
  const json = JSON.parse(manifest.bytes.toString("utf8")) as {
    subject?: Descriptor;
    artifactType?: string;
    config?: { mediaType?: string };
    annotations?: Record<string, string>;
  };
  const subject = json.subject?.digest;
  if (subject === undefined) {
    const why = "has no subject, so it refers to nothing";
    throw new RegistryError({
      message: `manifest ${manifest.digest} ${why}`,
      errors: [{ code: "MANIFEST_INVALID", message: why }],
    });
  }
  await client.putManifest(repository, manifest.digest, manifest);
  if (await hasReferrersApi(client, repository, subject)) return;
  const artifactType = json.artifactType ?? json.config?.mediaType;
  const listing: Descriptor = {
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.bytes.length,
    ...(artifactType === undefined ? {} : { artifactType }),
    ...(json.annotations === undefined ? {} : { annotations: json.annotations }),
  };
  await updateReferrersTag(client, repository, subject, [listing]);
}
