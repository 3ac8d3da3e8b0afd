import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { fail, formatIssue, parseRepositoryName } from "../../core/index.ts";
import { findDuplicateKeys, parseScanFindings } from "../../findings/index.ts";
import {
  evaluatePolicy,
  formatPolicyIssue,
  formatVerdict,
  type PlatformScan,
  type Policy,
  parsePolicy,
} from "../../policy/index.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { describeFsError } from "../describeFsError.ts";
import { parseArgsOrUsage } from "../parseArgsOrUsage.ts";

const usage = `Usage: portcullis gate --policy P --findings F [--findings F2 …] [--repository R] [--json] [--now ISO]

Evaluates scan findings against a gate policy, as the gate Lambda does, and prints the verdict.

  --policy P         policy file (YAML or JSON; see examples/policies/portcullis.policy.yaml)
  --findings F       a DescribeImageScanFindings response (JSON) for one platform image; a JSON array
                     is that response's pages, merged. Repeat for each platform. Name the platform
                     with LABEL=F (e.g. linux/arm64=arm64.json); by default it is F's base name.
  --repository R     repository the policy is evaluated for (default: the responses' repositoryName)
  --json             print the verdict as JSON instead of a table
  --now ISO          evaluate as of this time (allowlist expiry), e.g. 2027-01-01T00:00:00Z

Exit codes: 0 pass, 1 fail, 2 bad input (unreadable file, invalid policy or findings).`;

interface GateArgs {
  readonly policy: string;
  readonly findings: ReadonlyArray<{ readonly platform: string; readonly path: string }>;
  readonly repository?: string;
  readonly json: boolean;
  readonly now: Date;
}

/** `LABEL=PATH` where LABEL looks like a platform (`linux/arm64/v8`, `amd64`). */
const LABELLED = /^([A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*)=(.+)$/;

/** `portcullis gate`: reads the files, calls {@link evaluatePolicy}, prints the verdict, exits 0/1/2. */
export const command: Command = {
  name: "gate",
  summary: "Evaluate scan findings against a gate policy (exit 0 pass, 1 fail)",
  usage,
  async run(argv, io) {
    const args = parseGateArgs(argv);
    const problems: string[] = [];
    const policy = await loadPolicy(args.policy, io, problems);
    const platforms = await loadPlatforms(args.findings, io, problems);
    const repository =
      problems.length === 0 ? chooseRepository(args.repository, platforms, problems) : undefined;
    if (problems.length > 0 || !policy || !repository) {
      io.stderr(problems.map((problem) => `portcullis gate: ${problem}\n`).join(""));
      return ExitCode.Usage;
    }
    const verdict = evaluatePolicy({ policy, repository, platforms, now: args.now });
    io.stdout(args.json ? `${JSON.stringify(verdict, null, 2)}\n` : formatVerdict(verdict));
    return verdict.outcome === "pass" ? ExitCode.Ok : ExitCode.Failed;
  },
};

function parseGateArgs(argv: readonly string[]): GateArgs {
  const { values, positionals } = parseOrThrow(argv);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (!values.policy) throw new UsageError("--policy is required");
  if (!values.findings?.length) throw new UsageError("at least one --findings is required");
  const findings = values.findings.map((arg) => {
    const match = LABELLED.exec(arg);
    return match
      ? { platform: match[1] as string, path: match[2] as string }
      : { platform: labelOf(arg), path: arg };
  });
  if (values.repository !== undefined) {
    const repository = parseRepositoryName(values.repository, "--repository");
    if (!repository.ok) throw new UsageError(repository.error.map(formatIssue).join("; "));
  }
  const now = values.now === undefined ? new Date() : parseNow(values.now);
  return { policy: values.policy, findings, repository: values.repository, json: values.json ?? false, now };
}

function parseOrThrow(argv: readonly string[]) {
  return parseArgsOrUsage({
    args: [...argv],
    allowPositionals: true,
    options: {
      policy: { type: "string" },
      findings: { type: "string", multiple: true },
      repository: { type: "string" },
      json: { type: "boolean" },
      now: { type: "string" },
    },
  });
}

function parseNow(text: string): Date {
  const now = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(now.getTime()))
    throw new UsageError(`--now ${JSON.stringify(text)} must be an ISO 8601 time, e.g. 2027-01-01T00:00:00Z`);
  return now;
}

function labelOf(path: string): string {
  return basename(path).replace(/\.json$/i, "");
}

async function loadPolicy(path: string, io: CommandIo, problems: string[]): Promise<Policy | undefined> {
  const text = await readText(path, io, problems);
  if (text === undefined) return undefined;
  const policy = parsePolicy(text, path);
  if (policy.ok) return policy.value;
  problems.push(
    `invalid policy ${path}:\n${policy.error.map((issue) => `  ${formatPolicyIssue(issue)}`).join("\n")}`,
  );
  return undefined;
}

async function loadPlatforms(
  files: GateArgs["findings"],
  io: CommandIo,
  problems: string[],
): Promise<PlatformScan[]> {
  const labels = new Set<string>();
  const platforms: PlatformScan[] = [];
  for (const { platform, path } of files) {
    if (labels.has(platform))
      problems.push(`platform ${platform} is given twice (name them with LABEL=${path})`);
    labels.add(platform);
    const scan = await loadScan(path, platform, io, problems);
    if (scan?.digest) platforms.push({ platform, digest: scan.digest, scan });
    else if (scan)
      problems.push(`${path}: imageId.imageDigest: (missing) is required to tie the scan to an image`);
  }
  return platforms;
}

async function loadScan(path: string, platform: string, io: CommandIo, problems: string[]) {
  const text = await readText(path, io, problems);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    problems.push(`${path} is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  const duplicates = findDuplicateKeys(text);
  const scan = duplicates.length > 0 ? fail(duplicates) : parseScanFindings(json, { platform });
  if (scan.ok) return scan.value;
  problems.push(
    `invalid findings ${path}:\n${scan.error.map((issue) => `  ${path}: ${formatIssue(issue)}`).join("\n")}`,
  );
  return undefined;
}

function chooseRepository(given: string | undefined, platforms: PlatformScan[], problems: string[]) {
  const repository = given ?? platforms.map((p) => p.scan?.repository).find(Boolean);
  if (!repository) problems.push("no repositoryName in the findings: pass --repository");
  return repository;
}

async function readText(path: string, io: CommandIo, problems: string[]): Promise<string | undefined> {
  try {
    return await readFile(resolve(io.cwd, path), "utf8");
  } catch (error) {
    problems.push(`cannot read ${path}: ${describeFsError(error)}`);
    return undefined;
  }
}
