import type { Readable } from "node:stream";
import type { Digest } from "../../core/digest.ts";
import type { Descriptor, RawManifest } from "../manifest.ts";
import type { ReferrersList } from "./listReferrers.ts";

/** How a blob reached the target. */
export type PushOutcome = "mounted" | "uploaded";

/** Options for {@link RegistryClient.pushBlob}. */
export interface PushBlobOptions {
  /** A repository on the same registry to mount the blob from instead of uploading it. */
  readonly mountFrom?: string;
  /** Upload in PATCH chunks of this many bytes; omit for one monolithic PUT (what ECR supports). */
  readonly chunkSize?: number;
  /** Called with the number of bytes as each chunk leaves. */
  readonly onBytes?: (n: number) => void;
}

/**
 * The registry operations Portcullis needs, for one registry host. Handlers and copy/promote take this
 * interface, so tests and other adapters can inject their own.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md
 */
export interface RegistryClient {
  /** `host[:port]` as written in references. */
  readonly registry: string;
  /** GETs a manifest by tag or digest with the full Accept list; verifies its digest. */
  getManifest(repository: string, reference: string): Promise<RawManifest>;
  /** HEADs a manifest: its descriptor, or undefined when the registry does not have it. */
  headManifest(repository: string, reference: string): Promise<Descriptor | undefined>;
  /** PUTs manifest bytes unchanged under a tag or their digest. */
  putManifest(repository: string, reference: string, manifest: RawManifest): Promise<void>;
  /** True when the repository holds the blob. */
  blobExists(repository: string, digest: Digest): Promise<boolean>;
  /** Streams a blob; the stream errors (DIGEST_INVALID / SIZE_INVALID) if the bytes do not match. */
  getBlob(repository: string, blob: Descriptor): Promise<Readable>;
  /** Mounts or uploads a blob; `open` is called only if bytes must be sent. */
  pushBlob(
    repository: string,
    blob: Descriptor,
    open: () => Promise<Readable>,
    options?: PushBlobOptions,
  ): Promise<PushOutcome>;
  /** The repository's tags (empty when the repository does not exist). */
  listTags(repository: string): Promise<string[]>;
  /**
   * Asks the OCI 1.1 referrers API for the manifests whose `subject` is `digest` (optionally filtered by
   * artifact type): undefined when the registry has no referrers API (then use the referrers tag schema).
   */
  listReferrers(
    repository: string,
    digest: Digest,
    artifactType?: string,
  ): Promise<ReferrersList | undefined>;
  /** Releases keep-alive sockets. */
  close(): void;
}
