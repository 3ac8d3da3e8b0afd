import type { IncomingMessage } from "node:http";
import { RegistryError } from "../errors.ts";

/** Manifests larger than this are refused (distribution's own limit is 4 MiB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Reads a whole (small) response body, refusing more than `limit` bytes. */
export async function readBody(res: IncomingMessage, limit = MAX_MANIFEST_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      res.destroy();
      throw new RegistryError({
        message: `response body larger than ${limit} bytes`,
        errors: [tooLarge(limit)],
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Reads up to `limit` bytes for an error message and discards the rest, so the socket is reused. */
export async function readSome(res: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (size < limit) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}

/** Discards a response body (keep-alive needs it consumed). */
export async function drain(res: IncomingMessage): Promise<void> {
  for await (const _ of res) {
    // discard
  }
}

function tooLarge(limit: number) {
  return { code: "SIZE_INVALID", message: `body exceeds ${limit} bytes` };
}
