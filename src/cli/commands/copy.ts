import { formatIssues } from "../../core/formatIssue.ts";
import { ValidationError } from "../../core/ValidationError.ts";
import {
  type CopyProgress,
  type CopyToManyResult,
  copyToMany,
  createRegistryClient,
  type DestinationResult,
  defaultCredentials,
  parseEcrHost,
  parseReference,
  type Reference,
  type RegistryClient,
  RegistryError,
} from "../../registry/index.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { parseArgsOrUsage } from "../parseArgsOrUsage.ts";

const usage = `Usage: portcullis copy SRC DST [DST …] [--insecure] [--concurrency N] [--chunk-size BYTES] [--referrers=false]

Copies an image or a multi-arch index, digest-identical, to one or more destinations: blobs first
(skipping those a DST has), then platform manifests, the index last, then every referrer of the index
and of its manifests (signatures, SBOMs, attestations, and their own referrers), through a DST's
referrers API or, where it has none, its sha256-<hex> referrers tags (merged, never overwritten). Each
missing blob is read once from SRC and streamed to every DST that lacks it; a DST that fails does not
stop the others. Run it again after a failure: only what is missing is sent.

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
    const clients = clientsFor(args, io);
    const bar = io.isTty ? progressBar(io, args.to.length) : undefined;
    try {
      const source = clients(args.from.registry);
      const destinations = args.to.map((to) => ({ target: clients(to.registry), to }));
      const { from, concurrency, referrers } = args;
      const result = await copyToMany({
        source,
        from,
        destinations,
        concurrency,
        referrers,
        ...args.chunk,
        ...bar,
      });
      bar?.clear();
      return report(result, io);
    } catch (error) {
      bar?.clear();
      if (!(error instanceof RegistryError || error instanceof ValidationError)) throw error;
      io.stderr(`portcullis copy: ${error.message}\n`);
      return ExitCode.Failed;
    } finally {
      clients.close();
    }
  },
};

/** One summary line per destination (a failure on stderr), and for several, what was read from SRC. */
function report(result: CopyToManyResult, io: CommandIo): number {
  for (const destination of result.destinations) {
    if (destination.kind === "copied") io.stdout(`${summary(result, destination)}\n`);
    else io.stderr(`portcullis copy: ${destination.error.message}\n`);
  }
  if (result.destinations.length > 1)
    io.stdout(
      `read ${megabytes(result.sourceBytes)} of blobs from the source for ${result.destinations.length} destinations in ${result.seconds.toFixed(2)} s\n`,
    );
  return result.destinations.every((d) => d.kind === "copied") ? ExitCode.Ok : ExitCode.Failed;
}

/** One client per registry host (shared by both ends on one registry, so blobs can be mounted). */
function clientsFor(args: CopyArgs, io: CommandIo) {
  const credentials = defaultCredentials(io.env);
  const options = { insecure: args.insecure, credentials, maxSockets: Math.max(8, args.concurrency * 2) };
  const clients = new Map<string, RegistryClient>();
  const clientFor = (registry: string): RegistryClient => {
    const client = clients.get(registry) ?? createRegistryClient(registry, options);
    clients.set(registry, client);
    return client;
  };
  return Object.assign(clientFor, {
    close: () => {
      for (const client of clients.values()) client.close();
    },
  });
}

interface CopyArgs {
  readonly from: Reference;
  readonly to: readonly Reference[];
  readonly insecure: boolean;
  readonly concurrency: number;
  readonly chunk: { chunkSize?: number };
  readonly referrers: boolean;
}

function parseCopyArgs(argv: readonly string[]): CopyArgs {
  const { values, positionals } = parseOrUsage(argv);
  if (positionals.length < 2)
    throw new UsageError(`expected SRC and DST (one or more), got ${positionals.length} argument(s)`);
  const concurrency = positiveInteger(values.concurrency ?? "4", "--concurrency");
  const chunkSize =
    values["chunk-size"] === undefined ? undefined : positiveInteger(values["chunk-size"], "--chunk-size");
  const to = positionals.slice(1).map((text, i) => reference(text, i === 0 ? "DST" : `DST${i + 1}`));
  const ecr = to.find((dst) => parseEcrHost(dst.registry));
  if (chunkSize !== undefined && ecr)
    throw new UsageError(
      `--chunk-size: not supported for the ECR registry ${ecr.registry}: ECR's chunked upload differs from ` +
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
  return parseArgsOrUsage({
    args: [...argv],
    allowPositionals: true,
    options: {
      insecure: { type: "boolean" },
      concurrency: { type: "string" },
      "chunk-size": { type: "string" },
      referrers: { type: "string" },
    },
  });
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

function summary(result: CopyToManyResult, destination: DestinationResult): string {
  const p = destination.progress;
  const rate = p.bytesSent / 1e6 / Math.max(destination.seconds, 1e-3);
  return [
    `${result.digest} ${destination.target}`,
    `blobs ${p.blobsCopied} copied, ${p.blobsMounted} mounted, ${p.blobsSkipped} skipped`,
    `manifests ${p.manifestsPushed} pushed, ${p.manifestsSkipped} already there`,
    ...(destination.kind === "copied" ? [`referrers ${destination.referrers?.length ?? 0}`] : []),
    `${megabytes(p.bytesSent)} sent in ${destination.seconds.toFixed(2)} s (${rate.toFixed(1)} MB/s)`,
  ].join("  ");
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A one-line progress bar (every destination's bytes together) redrawn at most 10 times a second. */
function progressBar(
  io: CommandIo,
  destinations: number,
): { onProgress: (p: CopyProgress, destination: number) => void; clear: () => void } {
  let last = 0;
  const each: CopyProgress[] = [];
  return {
    onProgress(one, destination) {
      each[destination] = one;
      const now = Date.now();
      const done = each.filter((d) => d.phase === "done").length === destinations;
      if (now - last < 100 && !done) return;
      last = now;
      const p = total(each, one.phase);
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

/** The sum of every destination's counters, in the given phase. */
function total(each: readonly CopyProgress[], phase: CopyProgress["phase"]): CopyProgress {
  const sum = (key: Exclude<keyof CopyProgress, "phase">) => each.reduce((n, p) => n + (p?.[key] ?? 0), 0);
  return {
    phase,
    blobsTotal: sum("blobsTotal"),
    blobsCopied: sum("blobsCopied"),
    blobsMounted: sum("blobsMounted"),
    blobsSkipped: sum("blobsSkipped"),
    bytesTotal: sum("bytesTotal"),
    bytesSent: sum("bytesSent"),
    bytesDone: sum("bytesDone"),
    manifestsPushed: sum("manifestsPushed"),
    manifestsSkipped: sum("manifestsSkipped"),
    retries: sum("retries"),
  };
}
