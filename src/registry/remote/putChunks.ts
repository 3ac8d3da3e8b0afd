import { Readable } from "node:stream";
import { RegistryError } from "../errors.ts";
import { drain } from "../transport/readBody.ts";
import type { Transport } from "../transport/Transport.ts";
import { withRetries } from "../transport/withRetries.ts";
import { takeBytes } from "./takeBytes.ts";
import { nextLocation, OCTET_STREAM, pushScope, type UploadStep, withDigest } from "./uploadSession.ts";

/** Where the registry's copy of an upload stands: its next Location and how many bytes it holds. */
interface Position {
  readonly location: string;
  readonly offset: number;
}

/** Spec codes meaning the session is gone (distribution cancels one whose bytes and state disagree). */
const SESSION_LOST = ["BLOB_UPLOAD_UNKNOWN", "BLOB_UPLOAD_INVALID", "RANGE_INVALID"];

/**
 * PATCH chunks with Content-Range, then a closing PUT. A failed chunk is resumed from the offset the
 * registry reports (the 202's or 416's Range, else GET on the upload URL), not by restarting the blob:
 * each chunk is held in memory until the registry has it, so any part of it can be sent again. When
 * the session itself is lost, the error asks the caller to start the blob again (UPLOAD_RESTART).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-in-chunks
 */
export async function putChunks(
  transport: Transport,
  step: UploadStep & { readonly chunkSize: number },
): Promise<void> {
  const source = step.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let position: Position = { location: step.location, offset: 0 };
  while (position.offset < step.blob.size) {
    const length = Math.min(step.chunkSize, step.blob.size - position.offset);
    const chunk = await readChunk(source, length);
    position = await sendChunk(transport, step, position, chunk);
  }
  const done = await transport.request({
    method: "PUT",
    target: withDigest(position.location, step.blob),
    headers: { "content-length": "0" },
    body: Buffer.alloc(0),
    scope: [pushScope(step.repository)],
    expect: [201],
  });
  await drain(done);
}

/** Sends `chunk` (which starts at `at.offset`) until the registry holds all of it, resuming inside it. */
async function sendChunk(transport: Transport, step: UploadStep, at: Position, chunk: Buffer) {
  const start = at.offset;
  const end = start + chunk.length;
  let position = at;
  let reached = at.offset;
  const lost = await withRetries(async (attempt) => {
    if (attempt > 0) {
      const status = await uploadStatus(transport, step, position.location);
      if (status === undefined || status.offset < start || status.offset > end) return true;
      step.onBytes?.(status.offset - reached);
      position = status;
    }
    while (position.offset < end) {
      reached = position.offset;
      position = await patch(transport, step, position, chunk.subarray(position.offset - start), (n) => {
        reached += n;
        step.onBytes?.(n);
      });
      if (position.offset < start || position.offset > end) return true;
    }
    return false;
  }, transport.options.retry);
  if (lost) throw sessionLost(transport, step);
  return position;
}

/** One PATCH, sent once (a streamed body): the registry's position after it. */
async function patch(
  transport: Transport,
  step: UploadStep,
  at: Position,
  bytes: Buffer,
  onBytes: (n: number) => void,
): Promise<Position> {
  const res = await transport.request({
    method: "PATCH",
    target: at.location,
    headers: {
      "content-type": OCTET_STREAM,
      "content-length": String(bytes.length),
      "content-range": `${at.offset}-${at.offset + bytes.length - 1}`,
    },
    body: Readable.from([bytes]),
    scope: [pushScope(step.repository)],
    expect: [202, 416],
    onBytes,
  });
  await drain(res);
  const location = nextLocation(res.headers.location ?? at.location, transport, step.repository);
  const offset = rangeOffset(res.headers.range);
  if (res.statusCode === 416)
    return offset === undefined
      ? ((await uploadStatus(transport, step, location)) ?? at)
      : { location, offset };
  return { location, offset: offset ?? at.offset + bytes.length };
}

/** GET on the upload URL: where the registry stands, or undefined when the session is gone. */
async function uploadStatus(transport: Transport, step: UploadStep, location: string) {
  try {
    const res = await transport.request({
      method: "GET",
      target: location,
      scope: [pushScope(step.repository)],
      expect: [204],
    });
    await drain(res);
    const offset = rangeOffset(res.headers.range);
    if (offset === undefined) return undefined;
    return { location: nextLocation(res.headers.location ?? location, transport, step.repository), offset };
  } catch (error) {
    if (error instanceof RegistryError && error.codes.some((code) => SESSION_LOST.includes(code)))
      return undefined;
    throw error;
  }
}

/** `Range: 0-<last>` → the next offset; distribution writes `0-0` for an empty upload. */
function rangeOffset(header: string | undefined): number | undefined {
  const match = /^(?:bytes=)?0-(\d+)$/.exec(header?.trim() ?? "");
  if (!match) return undefined;
  const last = Number(match[1]);
  return last === 0 ? 0 : last + 1;
}

async function readChunk(source: AsyncIterator<Buffer>, length: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of takeBytes(source, length)) parts.push(part as Buffer);
  return Buffer.concat(parts, length);
}

function sessionLost(transport: Transport, step: UploadStep): RegistryError {
  const why = `the upload session of ${step.blob.digest} on ${transport.registry} was lost; starting the blob again`;
  return new RegistryError({ message: why, errors: [{ code: "UPLOAD_RESTART", message: why }] });
}
