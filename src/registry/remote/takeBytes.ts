import { Readable } from "node:stream";

const leftovers = new WeakMap<AsyncIterator<Buffer>, Buffer>();

/**
 * A stream of exactly the next `length` bytes of `source` (an iterator shared by successive calls),
 * so a chunked upload streams each PATCH body instead of buffering it.
 */
export function takeBytes(source: AsyncIterator<Buffer>, length: number): Readable {
  return Readable.from(take(source, length), { objectMode: false });
}

async function* take(source: AsyncIterator<Buffer>, length: number): AsyncGenerator<Buffer> {
  let remaining = length;
  while (remaining > 0) {
    const chunk = leftovers.get(source) ?? (await next(source));
    leftovers.delete(source);
    if (chunk.length > remaining) leftovers.set(source, chunk.subarray(remaining));
    const part = chunk.subarray(0, remaining);
    remaining -= part.length;
    yield part;
  }
}

async function next(source: AsyncIterator<Buffer>): Promise<Buffer> {
  const { value, done } = await source.next();
  if (done) throw Object.assign(new Error("blob stream ended early"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
  return value;
}
