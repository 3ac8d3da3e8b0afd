import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { type Digest, isDigest } from "../../core/digest.ts";
import { MANIFEST_MEDIA_TYPES } from "../../core/mediaTypes.ts";
import { RegistryError } from "../errors.ts";
import { type Descriptor, digestOf, manifestMediaType, type RawManifest } from "../manifest.ts";
import { drain } from "../transport/readBody.ts";
import { Transport, type TransportOptions } from "../transport/Transport.ts";
import { DigestVerifier } from "./DigestVerifier.ts";
import { listReferrers, type ReferrersList } from "./listReferrers.ts";
import { nextLink } from "./nextLink.ts";
import type { PushBlobOptions, PushOutcome, RegistryClient } from "./RegistryClient.ts";
import { uploadBlob } from "./uploadBlob.ts";
import { pushScope } from "./uploadSession.ts";

const ACCEPT = MANIFEST_MEDIA_TYPES.join(", ");

/** Options for {@link createRegistryClient}: the transport's, plus how blobs are read. */
export interface RegistryClientOptions extends TransportOptions {
  /** Read-buffer size for blob streams (bytes); larger means fewer, bigger chunks. */
  readonly highWaterMark: number;
}

/**
 * Creates the OCI distribution client for one registry.
 * @example const client = createRegistryClient("127.0.0.1:5000"); const m = await client.getManifest("app", "latest")
 */
export function createRegistryClient(
  registry: string,
  options: Partial<RegistryClientOptions> = {},
): RegistryClient {
  return new HttpRegistryClient(new Transport(registry, options), options.highWaterMark ?? 256 * 1024);
}

/** {@link RegistryClient} over HTTP: manifests, blobs and tags per the distribution spec. */
export class HttpRegistryClient implements RegistryClient {
  constructor(
    readonly transport: Transport,
    private readonly highWaterMark: number,
  ) {}

  get registry(): string {
    return this.transport.registry;
  }

  /** https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests */
  async getManifest(repository: string, reference: string): Promise<RawManifest> {
    const { res, body } = await this.transport.requestBuffer({
      method: "GET",
      target: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: ACCEPT },
      scope: [pullScope(repository)],
      expect: [200],
    });
    const what = `${this.registry}/${repository}${isDigest(reference) ? "@" : ":"}${reference}`;
    const digest = digestOf(body);
    checkDigest(what, digest, isDigest(reference) ? reference : undefined);
    checkDigest(what, digest, headerDigest(res));
    return { mediaType: manifestMediaType(res.headers["content-type"], body, what), digest, bytes: body };
  }

  /** https://github.com/opencontainers/distribution-spec/blob/main/spec.md#checking-if-content-exists-in-the-registry */
  async headManifest(repository: string, reference: string): Promise<Descriptor | undefined> {
    const res = await this.#head(`/v2/${repository}/manifests/${reference}`, repository, { accept: ACCEPT });
    if (res.statusCode === 404) return undefined;
    const digest = headerDigest(res) ?? (await this.getManifest(repository, reference)).digest;
    const mediaType = res.headers["content-type"]?.split(";")[0] ?? "";
    return { mediaType, digest, size: Number(res.headers["content-length"] ?? 0) };
  }

  /** https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests */
  async putManifest(repository: string, reference: string, manifest: RawManifest): Promise<void> {
    const what = `${this.registry}/${repository}${isDigest(reference) ? "@" : ":"}${reference}`;
    checkDigest(what, digestOf(manifest.bytes), manifest.digest);
    if (isDigest(reference)) checkDigest(what, manifest.digest, reference);
    const { res } = await this.transport.requestBuffer({
      method: "PUT",
      target: `/v2/${repository}/manifests/${reference}`,
      headers: { "content-type": manifest.mediaType, "content-length": String(manifest.bytes.length) },
      body: manifest.bytes,
      scope: [pushScope(repository)],
      expect: [201],
    });
    checkDigest(what, manifest.digest, headerDigest(res));
  }

  async blobExists(repository: string, digest: Digest): Promise<boolean> {
    const res = await this.#head(`/v2/${repository}/blobs/${digest}`, repository);
    return res.statusCode === 200;
  }

  /** https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-blobs */
  async getBlob(repository: string, blob: Descriptor): Promise<Readable> {
    const res = await this.transport.request({
      method: "GET",
      target: `/v2/${repository}/blobs/${blob.digest}`,
      scope: [pullScope(repository)],
      expect: [200],
    });
    return verified(res, blob, this.highWaterMark, this.registry);
  }

  pushBlob(
    repository: string,
    blob: Descriptor,
    open: () => Promise<Readable>,
    options?: PushBlobOptions,
  ): Promise<PushOutcome> {
    return uploadBlob(this.transport, repository, blob, open, options);
  }

  /** https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags */
  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    for (let target: string | undefined = `/v2/${repository}/tags/list`; target; ) {
      const { res, body } = await this.transport.requestBuffer({
        method: "GET",
        target,
        scope: [pullScope(repository)],
        expect: [200, 404],
      });
      if (res.statusCode === 404) return [];
      tags.push(...((JSON.parse(body.toString("utf8")) as { tags?: string[] | null }).tags ?? []));
      target = nextLink(res.headers.link as string | string[] | undefined);
    }
    return tags;
  }

  /** https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers */
  listReferrers(
    repository: string,
    digest: Digest,
    artifactType?: string,
  ): Promise<ReferrersList | undefined> {
    return listReferrers(this.transport, repository, digest, artifactType);
  }

  close(): void {
    this.transport.close();
  }

  async #head(target: string, repository: string, headers = {}): Promise<IncomingMessage> {
    const res = await this.transport.request({
      method: "HEAD",
      target,
      headers,
      scope: [pullScope(repository)],
      expect: [200, 404],
    });
    await drain(res);
    return res;
  }
}

/** Pipes a blob response through a {@link DigestVerifier}; network errors surface on the returned stream. */
function verified(res: IncomingMessage, blob: Descriptor, highWaterMark: number, registry: string): Readable {
  const verifier = new DigestVerifier(blob, undefined, highWaterMark);
  res.once("error", (error) => verifier.destroy(sourceClosed(error, blob, verifier.bytes, registry)));
  verifier.once("close", () => res.destroy());
  return res.pipe(verifier);
}

/** A download cut short: how far it got and that the source, not we, ended it. */
function sourceClosed(
  error: Error & { code?: string },
  blob: Descriptor,
  received: number,
  registry: string,
): RegistryError {
  return new RegistryError({
    message:
      `reading blob ${blob.digest}: the source ${registry} closed the connection after ${received} of ` +
      `${blob.size} bytes (${error.message})`,
    networkCode: error.code ?? "ECONNRESET",
    cause: error,
  });
}

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

function headerDigest(res: IncomingMessage): Digest | undefined {
  const value = res.headers["docker-content-digest"];
  return isDigest(value) ? value : undefined;
}

function checkDigest(what: string, actual: Digest, expected: Digest | undefined): void {
  if (expected === undefined || actual === expected) return;
  const why = `content hashes to ${actual}, not ${expected}`;
  throw new RegistryError({
    message: `manifest ${what}: ${why}`,
    errors: [{ code: "DIGEST_INVALID", message: why }],
  });
}
