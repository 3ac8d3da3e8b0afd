import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { once } from "node:events";
import { Agent, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { sendHttp } from "../../src/registry/transport/sendHttp.ts";

describe("sendHttp with a streamed body", () => {
  it("sends every byte with backpressure and reports the request start in the caller's async context", async () => {
    const server = createServer((req, res) => {
      let bytes = 0;
      req.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on("end", () => res.writeHead(201, { "x-bytes": String(bytes) }).end());
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`);
    const context = new AsyncLocalStorage<string>();
    const starts: (string | undefined)[] = [];
    const onStart = () => starts.push(context.getStore());
    subscribe("http.client.request.start", onStart);
    // The body's events run in another context (as a source socket opened by someone else would).
    const body = context.run("source", () => new PassThrough());
    const agent = new Agent({ keepAlive: true });
    try {
      let counted = 0;
      const sent = context.run("caller", () =>
        sendHttp({
          method: "PUT",
          url,
          headers: { "content-length": String(4 * 65536) },
          body,
          agent,
          timeoutMs: 5_000,
          onBytes: (n) => {
            counted += n;
          },
        }),
      );
      context.run("source", () =>
        setTimeout(() => {
          for (const i of [0, 1, 2, 3]) body.write(Buffer.alloc(65536, i));
          body.end();
        }, 20),
      );
      const res = await sent;
      res.resume();
      expect(res.statusCode).toBe(201);
      expect(res.headers["x-bytes"]).toBe(String(4 * 65536));
      expect(counted).toBe(4 * 65536);
      expect(starts).toEqual(["caller"]);
    } finally {
      unsubscribe("http.client.request.start", onStart);
      agent.destroy();
      server.close();
    }
  });
});
