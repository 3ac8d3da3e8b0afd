import type { Readable } from "node:stream";
import { RegistryError } from "../errors.ts";
import type { Descriptor } from "../manifest.ts";
import type { Transport } from "../transport/Transport.ts";

export const OCTET_STREAM = "application/octet-stream";

/** One blob's upload session: where to send the next bytes. */
export interface UploadStep {
  readonly repository: string;
  readonly blob: Descriptor;
  readonly location: string;
  readonly body: Readable;
  readonly onBytes?: ((n: number) => void) | undefined;
}

/** The absolute URL of the next upload request, from a response's Location. */
export function nextLocation(location: string | undefined, transport: Transport, repository: string): string {
  if (!location) {
    const why = `registry ${transport.registry} sent no upload Location for ${repository}`;
    throw new RegistryError({ message: why, errors: [{ code: "BLOB_UPLOAD_INVALID", message: why }] });
  }
  return new URL(location, transport.baseUrl).toString();
}

/** The closing PUT's URL: the session's Location with `?digest=`. */
export function withDigest(location: string, blob: Descriptor): string {
  const url = new URL(location);
  url.searchParams.set("digest", blob.digest);
  return url.toString();
}

/** The token scope for writing to a repository. */
export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}
