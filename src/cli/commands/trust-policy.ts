import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../../config/loadConfig.ts";
import { formatIssues } from "../../core/formatIssue.ts";
import { githubOidcProviderArn } from "../../oidc/githubOidc.ts";
import { lintTrustPolicy } from "../../oidc/lintTrustPolicy.ts";
import { parsePolicyText } from "../../oidc/parsePolicyText.ts";
import { parseReleaseIdentity, type ReleaseIdentity } from "../../oidc/ReleaseIdentity.ts";
import type { TrustExpectations } from "../../oidc/TrustExpectations.ts";
import type { TrustPolicyFinding } from "../../oidc/TrustPolicyFinding.ts";
import { trustPolicy } from "../../oidc/trustPolicy.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { parseArgsOrUsage } from "../parseArgsOrUsage.ts";

const usage = `Usage: portcullis trust-policy [--repo OWNER/REPO] [--branch B]… [--tag-pattern P]… [--environment E]…
                               [--account ID | --provider-arn ARN] [--config FILE]
       portcullis trust-policy --check FILE [--repo OWNER/REPO [--branch B]… …] [--json]

Prints the trust policy of the release role, exactly as the stacks deploy it: GitHub's OIDC token must
carry aud "sts.amazonaws.com" and a sub for one of the given branches, tag patterns or environments
(StringEquals; tag patterns with * use StringLike anchored to the repository). Without --repo the
github section of the configuration (--config, default ${DEFAULT_CONFIG_FILE}) is used.

--check lints an existing trust policy (a document, or \`aws iam get-role\` output): missing aud, any
wildcard in OWNER/REPO (probed with strangers' repositories named like yours), forks or pull requests,
case mismatches, * under StringEquals, claims IAM ignores, principals other than GitHub's provider. With
--repo it also checks that each given --branch, --tag-pattern and --environment can assume the role, and
reports every other subject admitted: a wildcard or an environment not given is an error, an extra exact
branch or tag a warning (what is not given is not expected). --config checks against the configuration.
Exit 0 when no error was found, 1 when one was, 2 on bad input (a file that is not JSON: where it stops).`;

const options = {
  repo: { type: "string" },
  branch: { type: "string", multiple: true },
  "tag-pattern": { type: "string", multiple: true },
  environment: { type: "string", multiple: true },
  account: { type: "string" },
  "provider-arn": { type: "string" },
  config: { type: "string" },
  check: { type: "string" },
  json: { type: "boolean" },
} as const;

type Flags = ReturnType<typeof parseFlags>;

/** `portcullis trust-policy`: prints the release role's trust policy, or lints one with --check. */
export const command: Command = {
  name: "trust-policy",
  summary: "Print the release role's GitHub OIDC trust policy, or lint one (--check)",
  usage,
  async run(argv, io) {
    const flags = parseFlags(argv);
    if (flags.check !== undefined) return check(flags.check, flags, io);
    return print(flags, io);
  },
};

function parseFlags(argv: readonly string[]) {
  return parseArgsOrUsage({ args: [...argv], options, allowPositionals: false, strict: true }).values;
}

async function print(flags: Flags, io: CommandIo): Promise<number> {
  const { identity, providerArn } = flags.repo !== undefined ? fromFlags(flags) : await fromConfig(flags, io);
  if (providerArn.includes("<ACCOUNT_ID>"))
    io.stderr(
      "portcullis trust-policy: no --account or --provider-arn given; replace <ACCOUNT_ID> before use\n",
    );
  io.stdout(`${JSON.stringify(trustPolicy({ providerArn, identity }), null, 2)}\n`);
  return ExitCode.Ok;
}

function fromFlags(flags: Flags): { identity: ReleaseIdentity; providerArn: string } {
  const [owner, repo, ...more] = (flags.repo ?? "").split("/");
  if (!owner || !repo || more.length > 0)
    throw new UsageError(`--repo must be OWNER/REPO, not ${JSON.stringify(flags.repo)}`);
  const parsed = parseReleaseIdentity({
    owner,
    repo,
    branches: flags.branch ?? [],
    tagPatterns: flags["tag-pattern"] ?? [],
    environments: flags.environment ?? [],
  });
  if (!parsed.ok) throw new UsageError(formatIssues(parsed.error));
  return { identity: parsed.value, providerArn: providerArnOf(flags) };
}

async function fromConfig(
  flags: Flags,
  io: CommandIo,
): Promise<{ identity: ReleaseIdentity; providerArn: string }> {
  const config = await configOf(flags, io);
  const providerArn =
    flags["provider-arn"] || flags.account ? providerArnOf(flags) : config.github.oidcProviderArn;
  return { identity: config.github, providerArn: providerArn ?? providerArnOf(flags) };
}

function configOf(flags: Flags, io: CommandIo) {
  return loadConfig(flags.config ?? DEFAULT_CONFIG_FILE, { cwd: io.cwd }).catch((error: unknown) => {
    throw new UsageError(
      `${error instanceof Error ? error.message : String(error)}\n(or give --repo OWNER/REPO and refs)`,
    );
  });
}

function providerArnOf(flags: Flags): string {
  if (flags["provider-arn"] !== undefined && flags.account !== undefined)
    throw new UsageError("give --account or --provider-arn, not both");
  if (flags["provider-arn"] !== undefined) {
    if (
      !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(
        flags["provider-arn"],
      )
    )
      throw new UsageError(
        `--provider-arn must be the ARN of the token.actions.githubusercontent.com provider`,
      );
    return flags["provider-arn"];
  }
  if (flags.account !== undefined && !/^\d{12}$/.test(flags.account))
    throw new UsageError(`--account must be a 12-digit AWS account id, not ${JSON.stringify(flags.account)}`);
  return githubOidcProviderArn(flags.account ?? "<ACCOUNT_ID>");
}

async function check(file: string, flags: Flags, io: CommandIo): Promise<number> {
  const text = await readFile(resolve(io.cwd, file), "utf8").catch((error: unknown) => {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const parsed = parsePolicyText(text);
  if (!parsed.ok) {
    const { line, column, reason } = parsed.error;
    throw new UsageError(
      `${file}${line === undefined ? "" : `:${line}:${column}`}: not valid JSON: ${reason}`,
    );
  }
  const linted = lintTrustPolicy(parsed.value, await expectations(flags, io));
  if (!linted.ok) throw new UsageError(`${file} is not a trust policy:\n${formatIssues(linted.error)}`);
  const findings = linted.value;
  if (flags.json) io.stdout(`${JSON.stringify(findings, null, 2)}\n`);
  else io.stdout(report(file, findings));
  return findings.some((finding) => finding.severity === "error") ? ExitCode.Failed : ExitCode.Ok;
}

async function expectations(flags: Flags, io: CommandIo): Promise<TrustExpectations> {
  if (flags.repo !== undefined) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(flags.repo))
      throw new UsageError(`--repo must be OWNER/REPO, not ${JSON.stringify(flags.repo)}`);
    return {
      repository: flags.repo,
      branches: flags.branch,
      tagPatterns: flags["tag-pattern"],
      environments: flags.environment,
    };
  }
  if (flags.config === undefined) return {};
  const { github } = await configOf(flags, io);
  return { repository: `${github.owner}/${github.repo}`, ...github };
}

function report(file: string, findings: readonly TrustPolicyFinding[]): string {
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  const lines = findings.map((f) => {
    const where = f.statement === undefined ? "policy" : `Statement[${f.statement}]`;
    const value = f.value === undefined || f.value === null ? "" : `${JSON.stringify(f.value)} `;
    return `${f.severity.padEnd(7)} ${where} ${f.code}: ${value}${f.message}`;
  });
  const verdict =
    errors === 0 && warnings === 0
      ? "no findings"
      : `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  return `${[`${file}: ${verdict}`, ...lines].join("\n")}\n`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
