import type { RawManifest } from "../../src/registry/manifest.ts";
import { descriptorOf, memoryBlob, rawManifest, type TestImage } from "./testImages.ts";

/** The OCI empty descriptor's blob (`{}`), the config of artifacts that need none (image-spec 1.1). */
export const EMPTY_CONFIG = memoryBlob(Buffer.from("{}"), "application/vnd.oci.empty.v1+json");

/**
 * An OCI 1.1 artifact (a signature, an SBOM, an attestation…) whose `subject` is `subject`: an image
 * manifest with `artifactType`, the empty config and one layer holding `content`.
 * @example const sbom = artifactFor(index.root, "application/spdx+json", Buffer.from("{}"))
 */
export function artifactFor(
  subject: RawManifest,
  artifactType: string,
  content: Buffer,
  annotations: Record<string, string> = {},
): TestImage {
  const layer = memoryBlob(content, artifactType);
  const root = rawManifest("application/vnd.oci.image.manifest.v1+json", {
    artifactType,
    config: EMPTY_CONFIG.descriptor,
    layers: [layer.descriptor],
    subject: descriptorOf(subject),
    annotations: { "org.opencontainers.image.created": "2026-12-07T00:00:00Z", ...annotations },
  });
  return { root, manifests: [root], blobs: [EMPTY_CONFIG, layer] };
}
