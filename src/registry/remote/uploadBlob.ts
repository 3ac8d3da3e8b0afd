import type { Readable } from "node:stream";
import { RegistryError } from "../errors.ts";
import type { Descriptor } from "../manifest.ts";
import { drain } from "../transport/readBody.ts";
import type { Transport } from "../transport/Transport.ts";
import type { PushBlobOptions, PushOutcome } from "./RegistryClient.ts";
import { takeBytes } from "./takeBytes.ts";

const OCTET_STREAM = "application/octet-stream";

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

interface UploadStep {
  readonly repository: string;
  readonly blob: Descriptor;
  readonly location: string;
  readonly body: Readable;
  readonly onBytes?: ((n: number) => void) | undefined;
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

/** PATCH chunks with Content-Range, then a closing PUT. Spec: "Pushing a blob in chunks". */
async function putChunks(
  transport: Transport,
  step: UploadStep & { readonly chunkSize: number },
): Promise<void> {
  const source = step.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let location = step.location;
  for (let start = 0; start < step.blob.size; start += step.chunkSize) {
    const length = Math.min(step.chunkSize, step.blob.size - start);
    location = await patchChunk(transport, { ...step, location }, takeBytes(source, length), start, length);
  }
  const done = await transport.request({
    method: "PUT",
    target: withDigest(location, step.blob),
    headers: { "content-length": "0" },
    body: Buffer.alloc(0),
    scope: [pushScope(step.repository)],
    expect: [201],
  });
  await drain(done);
}

/** Sends bytes `start`…`start+length-1`; resolves with the Location for the next request. */
async function patchChunk(
  transport: Transport,
  step: UploadStep,
  body: Readable,
  start: number,
  length: number,
) {
  const res = await transport.request({
    method: "PATCH",
    target: step.location,
    headers: {
      "content-type": OCTET_STREAM,
      "content-length": String(length),
      "content-range": `${start}-${start + length - 1}`,
    },
    body,
    scope: [pushScope(step.repository)],
    expect: [202],
    ...(step.onBytes ? { onBytes: step.onBytes } : {}),
  });
  await drain(res);
  return nextLocation(res.headers.location, transport, step.repository);
}

function nextLocation(location: string | undefined, transport: Transport, repository: string): string {
  if (!location) {
    const why = `registry ${transport.registry} sent no upload Location for ${repository}`;
    throw new RegistryError({ message: why, errors: [{ code: "BLOB_UPLOAD_INVALID", message: why }] });
  }
  return new URL(location, transport.baseUrl).toString();
}

function withDigest(location: string, blob: Descriptor): string {
  const url = new URL(location);
  url.searchParams.set("digest", blob.digest);
  return url.toString();
}

/** The token scope for writing to a repository. */
export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}
