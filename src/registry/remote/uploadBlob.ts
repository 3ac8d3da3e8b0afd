import type { Readable } from "node:stream";
import type { Descriptor } from "../manifest.ts";
import { drain } from "../transport/readBody.ts";
import type { Transport } from "../transport/Transport.ts";
import { putChunks } from "./putChunks.ts";
import type { PushBlobOptions, PushOutcome } from "./RegistryClient.ts";
import { nextLocation, OCTET_STREAM, pushScope, type UploadStep, withDigest } from "./uploadSession.ts";

/**
 * Pushes one blob: POST (with `mount`/`from` when asked), then either a monolithic PUT or PATCH chunks
 * and a closing PUT, following the latest `Location` every time.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs
 */
export async function uploadBlob(
  transport: Transport,
  repository: string,
  blob: Descriptor,
  open: () => Promise<Readable>,
  options: PushBlobOptions = {},
): Promise<PushOutcome> {
  const location = await startUpload(transport, repository, blob, options.mountFrom);
  if (location === undefined) return "mounted";
  const body = await open();
  try {
    if (options.chunkSize !== undefined && blob.size > options.chunkSize) {
      await putChunks(transport, {
        repository,
        blob,
        location,
        body,
        chunkSize: options.chunkSize,
        onBytes: options.onBytes,
      });
    } else {
      await putMonolithic(transport, { repository, blob, location, body, onBytes: options.onBytes });
    }
  } finally {
    body.destroy();
  }
  return "uploaded";
}

/** POSTs an upload session (or a cross-repository mount): the session's Location, or undefined when mounted. */
async function startUpload(transport: Transport, repository: string, blob: Descriptor, mountFrom?: string) {
  const query = mountFrom ? `?mount=${blob.digest}&from=${mountFrom}` : "";
  const scope = [pushScope(repository), ...(mountFrom ? [`repository:${mountFrom}:pull`] : [])];
  const res = await transport.request({
    method: "POST",
    target: `/v2/${repository}/blobs/uploads/${query}`,
    headers: { "content-length": "0" },
    body: Buffer.alloc(0),
    scope,
    expect: [201, 202],
  });
  await drain(res);
  return res.statusCode === 201 ? undefined : nextLocation(res.headers.location, transport, repository);
}

/** PUT `location?digest=` with the whole body. Spec: "POST then PUT". */
async function putMonolithic(transport: Transport, step: UploadStep): Promise<void> {
  const res = await transport.request({
    method: "PUT",
    target: withDigest(step.location, step.blob),
    headers: { "content-type": OCTET_STREAM, "content-length": String(step.blob.size) },
    body: step.body,
    scope: [pushScope(step.repository)],
    expect: [201],
    ...(step.onBytes ? { onBytes: step.onBytes } : {}),
  });
  await drain(res);
}
