import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { join } from "node:path";
import type { Digest } from "../../src/core/index.ts";
import { writeRandomLayer } from "./tarLayer.ts";
import type { TestBlob } from "./testImages.ts";

/**
 * A random gzipped tar layer written to a file in `dir` (memory stays flat for 200 MB layers).
 * Pass as `makeLayer` to `randomIndex`: `randomIndex({ makeLayer: fileLayer(dir) })`.
 * @example const layer = await fileLayer(tmp)(200 * 1024 * 1024, false)
 */
export function fileLayer(
  dir: string,
  level = 1,
): (size: number, docker: boolean) => Promise<TestBlob & { diffId: Digest }> {
  return async (size, docker) => {
    const path = join(dir, `layer-${randomUUID()}.tar.gz`);
    const info = await writeRandomLayer(size, createWriteStream(path), level);
    const mediaType = docker
      ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
      : "application/vnd.oci.image.layer.v1.tar+gzip";
    return {
      descriptor: { mediaType, digest: info.digest, size: info.size },
      diffId: info.diffId,
      open: () => createReadStream(path, { highWaterMark: 1024 * 1024 }),
    };
  };
}
