import { parseArgs } from "node:util";
import { formatIssues } from "../../core/formatIssue.ts";
import { ValidationError } from "../../core/ValidationError.ts";
import {
  type CopyProgress,
  type CopyResult,
  copy,
  createRegistryClient,
  defaultCredentials,
  parseEcrHost,
  parseReference,
  type Reference,
  type RegistryClient,
  RegistryError,
} from "../../registry/index.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";

const usage = `Usage: portcullis copy SRC DST [--insecure] [--concurrency N] [--chunk-size BYTES] [--referrers=false]

Copies an image or a multi-arch index, digest-identical: blobs first (skipping those DST has), then
platform manifests, the index last, then every referrer of the index and of its manifests (signatures,
SBOMs, attestations, and their own referrers), through DST's referrers API or, where DST has none, its
sha256-<hex> referrers tags (merged, never overwritten). Run it again after a failure: only what is
missing is sent.

  SRC, DST           host[:port]/repository[:tag][@sha256:…]
  --insecure         plain HTTP (always used for localhost, 127.0.0.0/8 and [::1])
  --concurrency N    blobs in flight at once (default 4)
  --chunk-size BYTES upload blobs larger than this in PATCH chunks (default: one PUT per blob;
                     refused for ECR, whose chunked upload departs from the spec)
  --referrers=false  copy the image alone, without its referrers

Credentials: PORTCULLIS_REGISTRY_USERNAME / PORTCULLIS_REGISTRY_PASSWORD (limited to the host in
PORTCULLIS_REGISTRY if set), else ~/.docker/config.json "auths", else ECR's GetAuthorizationToken.`;

/** `portcullis copy SRC DST`: the CLI edge over {@link copy}; it only turns flags into options. */
export const command: Command = {
  name: "copy",
  summary: "Copy an image or index between registries, digest-identical",
  usage,
  async run(argv, io) {
    const args = parseCopyArgs(argv);
    const { source, target } = clientsFor(args, io);
    const bar = io.isTty ? progressBar(io) : undefined;
    try {
      const { from, to, concurrency, referrers } = args;
      const result = await copy({ source, target, from, to, concurrency, referrers, ...args.chunk, ...bar });
      bar?.clear();
      io.stdout(`${summary(result)}\n`);
      return ExitCode.Ok;
    } catch (error) {
      bar?.clear();
      if (!(error instanceof RegistryError || error instanceof ValidationError)) throw error;
      io.stderr(`portcullis copy: ${error.message}\n`);
      return ExitCode.Failed;
    } finally {
      source.close();
      target.close();
    }
  },
};

/** One client per registry (the same one when both ends share it, so blobs can be mounted). */
function clientsFor(args: CopyArgs, io: CommandIo): { source: RegistryClient; target: RegistryClient } {
  const credentials = defaultCredentials(io.env);
  const options = { insecure: args.insecure, credentials, maxSockets: Math.max(8, args.concurrency * 2) };
  const source = createRegistryClient(args.from.registry, options);
  const same = args.to.registry === args.from.registry;
  return { source, target: same ? source : createRegistryClient(args.to.registry, options) };
}

interface CopyArgs {
  readonly from: Reference;
  readonly to: Reference;
  readonly insecure: boolean;
  readonly concurrency: number;
  readonly chunk: { chunkSize?: number };
  readonly referrers: boolean;
}

function parseCopyArgs(argv: readonly string[]): CopyArgs {
  const { values, positionals } = parseOrUsage(argv);
  if (positionals.length !== 2)
    throw new UsageError(`expected SRC and DST, got ${positionals.length} argument(s)`);
  const concurrency = positiveInteger(values.concurrency ?? "4", "--concurrency");
  const chunkSize =
    values["chunk-size"] === undefined ? undefined : positiveInteger(values["chunk-size"], "--chunk-size");
  const to = reference(positionals[1], "DST");
  if (chunkSize !== undefined && parseEcrHost(to.registry))
    throw new UsageError(
      `--chunk-size: not supported for the ECR registry ${to.registry}: ECR's chunked upload differs from ` +
        "the distribution spec and loses chunks; omit --chunk-size (each blob goes in one PUT)",
    );
  return {
    from: reference(positionals[0], "SRC"),
    to,
    insecure: values.insecure ?? false,
    concurrency,
    chunk: chunkSize === undefined ? {} : { chunkSize },
    referrers: booleanFlag(values.referrers ?? "true", "--referrers"),
  };
}

function parseOrUsage(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        insecure: { type: "boolean" },
        concurrency: { type: "string" },
        "chunk-size": { type: "string" },
        referrers: { type: "string" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Parses a reference argument or throws a UsageError naming it. */
export function reference(value: string | undefined, field: string): Reference {
  const parsed = parseReference(value, field);
  if (!parsed.ok) throw new UsageError(formatIssues(parsed.error));
  return parsed.value;
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n))
    throw new UsageError(`${flag}: ${JSON.stringify(value)} must be a positive integer`);
  return n;
}

function booleanFlag(value: string, flag: string): boolean {
  if (value === "true" || value === "false") return value === "true";
  throw new UsageError(`${flag}: ${JSON.stringify(value)} must be true or false`);
}

function summary(result: CopyResult): string {
  const p = result.progress;
  const rate = p.bytesSent / 1e6 / Math.max(result.seconds, 1e-3);
  return [
    `${result.digest} ${result.target}`,
    `blobs ${p.blobsCopied} copied, ${p.blobsMounted} mounted, ${p.blobsSkipped} skipped`,
    `manifests ${p.manifestsPushed} pushed, ${p.manifestsSkipped} already there`,
    `referrers ${result.referrers.length}`,
    `${megabytes(p.bytesSent)} sent in ${result.seconds.toFixed(2)} s (${rate.toFixed(1)} MB/s)`,
  ].join("  ");
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A one-line progress bar redrawn at most 10 times a second on a terminal. */
function progressBar(io: CommandIo): { onProgress: (p: CopyProgress) => void; clear: () => void } {
  let last = 0;
  return {
    onProgress(p) {
      const now = Date.now();
      if (now - last < 100 && p.phase !== "done") return;
      last = now;
      const ratio = p.bytesTotal === 0 ? 1 : Math.min(1, p.bytesDone / p.bytesTotal);
      const width = 30;
      const filled = Math.round(ratio * width);
      const blobs = p.blobsCopied + p.blobsMounted + p.blobsSkipped;
      io.stdout(
        `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ` +
          `${megabytes(p.bytesDone)}/${megabytes(p.bytesTotal)}  blobs ${blobs}/${p.blobsTotal}  ${p.phase}   `,
      );
    },
    clear: () => io.stdout("\r\x1b[2K"),
  };
}
