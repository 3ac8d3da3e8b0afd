import { createHash, randomFillSync } from "node:crypto";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { Digest } from "../../src/core/index.ts";

const BLOCK = 512;
const CHUNK = 1024 * 1024;

/** A gzipped tar layer: its digest and size (compressed) and diff ID (uncompressed). */
export interface LayerInfo {
  readonly digest: Digest;
  readonly size: number;
  readonly diffId: Digest;
}

/** A ustar header for one regular file. */
export function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  const field = (text: string, offset: number, length: number) => header.write(text, offset, length, "ascii");
  field(name, 0, 100);
  field("0000644\0", 100, 8);
  field("0000000\0", 108, 8);
  field("0000000\0", 116, 8);
  field(`${size.toString(8).padStart(11, "0")}\0`, 124, 12);
  field("00000000000\0", 136, 12);
  field("        ", 148, 8);
  field("0", 156, 1);
  field("ustar\0", 257, 6);
  field("00", 263, 2);
  const sum = header.reduce((total, byte) => total + byte, 0);
  field(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return header;
}

/** A tar stream holding one file of `size` random bytes (named `name`). */
export function randomTar(size: number, name = "random.bin"): Readable {
  return Readable.from(tarChunks(size, name));
}

function* tarChunks(size: number, name: string): Generator<Buffer> {
  yield tarHeader(name, size);
  for (let sent = 0; sent < size; sent += CHUNK)
    yield randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK, size - sent)));
  const padding = (BLOCK - (size % BLOCK)) % BLOCK;
  yield Buffer.alloc(padding + 2 * BLOCK);
}

/**
 * Writes a random gzipped tar layer (one file of `size` random bytes) to `out`, hashing as it goes;
 * memory stays flat, so it serves 200 MB benchmark layers as well as 1 KB test layers.
 * @example const info = await writeRandomLayer(4096, createWriteStream(path))
 */
export async function writeRandomLayer(size: number, out: Writable, level = 1): Promise<LayerInfo> {
  const diff = createHash("sha256");
  const compressed = createHash("sha256");
  let bytes = 0;
  await pipeline(
    randomTar(size),
    async function* hashTar(source: AsyncIterable<Buffer>) {
      for await (const chunk of source) yield diff.update(chunk) && chunk;
    },
    createGzip({ level }),
    async function* hashGzip(source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        compressed.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    },
    out,
  );
  return {
    digest: `sha256:${compressed.digest("hex")}`,
    size: bytes,
    diffId: `sha256:${diff.digest("hex")}`,
  };
}
