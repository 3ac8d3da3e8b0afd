import type { Digest } from "../../core/digest.ts";
import { RegistryError, registryErrorFrom } from "../errors.ts";
import type { Descriptor, RawManifest } from "../manifest.ts";
import { mapLimit } from "../mapLimit.ts";
import type { Reference } from "../name/reference.ts";
import { formatReference } from "../name/referenceFormat.ts";
import type { CopiedReferrer } from "../referrers/copyReferrers.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import { type CopyProgress, ProgressTracker } from "./CopyProgress.ts";
import { type DestinationPlan, planDestination } from "./planCopy.ts";

/** One destination of a copy: the client for its registry and where the image goes there. */
export interface CopyDestination {
  readonly target: RegistryClient;
  /** A tag, a digest (must match the source) or neither (pushed by digest only). */
  readonly to: Reference;
}

/** How one destination ended. */
export type DestinationResult =
  | {
      readonly kind: "copied";
      /** e.g. `127.0.0.1:5001/app:1.2@sha256:…`. */
      readonly target: string;
      readonly progress: CopyProgress;
      readonly seconds: number;
      /** The referrers brought along (none with `referrers: false`). */
      readonly referrers?: readonly CopiedReferrer[];
    }
  | {
      readonly kind: "failed";
      readonly target: string;
      /** What failed, starting with "copying SRC to DST". */
      readonly error: RegistryError;
      readonly progress: CopyProgress;
      readonly seconds: number;
    };

/** What a destination needs from the copy it is part of. */
export interface DestinationContext {
  readonly root: RawManifest;
  /** "copying SRC" (the destination adds " to DST"). */
  readonly what: string;
  readonly readSource: (digest: Digest) => Promise<RawManifest>;
  readonly concurrency: number;
  readonly started: number;
  readonly onProgress: ((progress: CopyProgress) => void) | undefined;
  /** Sends blobs to this destination alone (after a manifest PUT found one missing). */
  readonly resend: (blobs: readonly Descriptor[]) => Promise<void>;
}

/** The codes a registry answers a manifest PUT with when a blob it references is not (yet) linked. */
const BLOB_UNKNOWN_CODES = ["MANIFEST_BLOB_UNKNOWN", "BLOB_UNKNOWN"];

/**
 * One destination's side of a copy: its plan, its blobs as the fan-out delivers them, then (as soon as
 * its last blob is in, whatever the other destinations are doing) its manifests, the root last. A failure
 * stops this destination only; its manifests are then never pushed, so no reader sees missing blobs.
 */
export class DestinationCopy {
  readonly progress: ProgressTracker;
  #plan: DestinationPlan | undefined;
  #error: RegistryError | undefined;
  #outstanding = 0;
  #resending = false;
  #ended: number | undefined;
  #finish: () => void = () => undefined;
  /** Resolves once the destination has its manifests or has failed. */
  readonly finished: Promise<void>;

  constructor(
    readonly destination: CopyDestination,
    private readonly context: DestinationContext,
  ) {
    this.progress = new ProgressTracker(context.onProgress);
    this.finished = new Promise((resolve) => {
      this.#finish = resolve;
    });
  }

  get repository(): string {
    return this.destination.to.repository;
  }

  /** The plan, once made (undefined when planning failed). */
  get plan(): DestinationPlan | undefined {
    return this.#plan;
  }

  get failed(): boolean {
    return this.#error !== undefined;
  }

  /** Plans what this destination lacks; starts its manifests at once when it lacks no blob. */
  async planIt(): Promise<void> {
    try {
      checkPinnedDigest(this.destination.to, this.context.root);
      const reference = this.destination.to.tag ?? this.context.root.digest;
      const target = { target: this.destination.target, repository: this.repository, reference };
      const plan = await planDestination(
        this.context.root,
        target,
        this.context.readSource,
        this.context.concurrency,
      );
      this.#plan = plan;
      this.#outstanding = plan.lacking.length;
      const present = plan.needed.length - plan.lacking.length;
      this.progress.add({
        blobsTotal: plan.needed.length,
        bytesTotal: sum(plan.needed),
        blobsSkipped: present,
        bytesDone: sum(plan.needed) - sum(plan.lacking),
        manifestsSkipped: plan.manifestsSkipped,
      });
      this.progress.phase("blobs");
      if (this.#outstanding === 0) void this.#pushManifests();
    } catch (error) {
      this.#fail(error);
    }
  }

  /** The fan-out is done with one of this destination's blobs. */
  blobDone(_blob: Descriptor, error?: unknown): void {
    if (this.failed) return;
    if (error !== undefined) {
      this.#fail(error);
      return;
    }
    this.#outstanding--;
    if (this.#outstanding === 0 && !this.#resending) void this.#pushManifests();
  }

  /** How it ended (call once {@link finished} resolved). */
  result(): DestinationResult {
    const seconds = ((this.#ended ?? performance.now()) - this.context.started) / 1000;
    const target = formatReference({ ...this.destination.to, digest: this.context.root.digest });
    const progress = this.progress.snapshot;
    if (this.#error) return { kind: "failed", target, error: this.#error, progress, seconds };
    return { kind: "copied", target, progress, seconds };
  }

  /**
   * Pushes the manifests, level by level. Another writer racing us for the same blobs can make a PUT fail
   * with MANIFEST_BLOB_UNKNOWN (distribution 2.8 does while a concurrent upload of the same digest
   * commits): check the blobs again, send what is missing, and push once more.
   */
  async #pushManifests(): Promise<void> {
    const plan = this.#plan as DestinationPlan;
    this.progress.phase("manifests");
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.#pushLevels(plan);
          break;
        } catch (error) {
          if (attempt >= 2 || !isBlobUnknown(error)) throw error;
          this.progress.add({ retries: 1 });
          await this.#resendMissing(plan);
        }
      }
      this.progress.phase("done");
      this.#end();
    } catch (error) {
      this.#fail(error);
    }
  }

  async #pushLevels(plan: DestinationPlan): Promise<void> {
    for (const level of plan.manifests)
      await mapLimit(level, this.context.concurrency, async ({ manifest, reference }) => {
        await this.destination.target.putManifest(this.repository, reference, manifest);
        this.progress.add({ manifestsPushed: 1 });
      });
  }

  async #resendMissing(plan: DestinationPlan): Promise<void> {
    const { target } = this.destination;
    const present = await mapLimit(plan.needed, this.context.concurrency, (blob) =>
      target.blobExists(this.repository, blob.digest),
    );
    const missing = plan.needed.filter((_, i) => !present[i]);
    this.#resending = true;
    try {
      await this.context.resend(missing);
    } finally {
      this.#resending = false;
    }
    if (this.#error) throw this.#error;
  }

  #fail(error: unknown): void {
    if (this.#error) return;
    const to = formatReference(this.destination.to);
    this.#error = registryErrorFrom(error, `${this.context.what} to ${to}`);
    this.#end();
  }

  #end(): void {
    this.#ended ??= performance.now();
    this.#finish();
  }
}

function isBlobUnknown(error: unknown): boolean {
  return error instanceof RegistryError && error.codes.some((code) => BLOB_UNKNOWN_CODES.includes(code));
}

function checkPinnedDigest(to: Reference, root: RawManifest): void {
  if (to.digest === undefined || to.digest === root.digest) return;
  const why = `the target is pinned to ${to.digest} but the source is ${root.digest}`;
  throw new RegistryError({ message: why, errors: [{ code: "DIGEST_INVALID", message: why }] });
}

function sum(blobs: readonly Descriptor[]): number {
  return blobs.reduce((total, blob) => total + blob.size, 0);
}
