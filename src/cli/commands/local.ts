import { dirname, resolve } from "node:path";
import { ConfigLoadError, ConfigNotFoundError, loadConfig } from "../../config/index.ts";
import { ValidationError } from "../../core/ValidationError.ts";
import { InterruptedError, ScenarioError } from "../../local/errors.ts";
import { runLocal } from "../../local/runLocal.ts";
import { SCENARIOS } from "../../local/scenario/loadScenario.ts";
import { type Command, ExitCode, UsageError } from "../Command.ts";
import { parseArgsOrUsage } from "../parseArgsOrUsage.ts";

const usage = `Usage: portcullis local [--scenario NAME | --findings DIR] [--keep] [--clean] [--state DIR]
                        [--config FILE] [--ref REF] [--github-repo OWNER/REPO]

Runs the whole pipeline on this machine (what \`npm start\` does): three distribution registries on loopback
(the primary region and two replica regions) and dynalite for the state table; builds examples/app for
linux/amd64 and linux/arm64 with the build script CodeBuild runs (buildah mode); then the same handlers as
the Lambdas — register, gate (promote), replicate, report, notify, reconcile — driven by the events AWS would
send (CodeBuild, ECR PUSH, one ECR scan per platform), routed with the rule patterns the stacks deploy.
Missing docker-registry, buildah or skopeo are installed with apt-get when running as root on Debian/Ubuntu.

  --scenario NAME    ${SCENARIOS.join(" | ")} (default pass): the scan results
                     and policy in examples/findings/NAME
  --findings DIR     your own scan results: linux-amd64.json and linux-arm64.json (DescribeImageScanFindings
                     responses), optional policy.yaml and scenario.json
  --keep             leave the registries running afterwards and print their addresses (for skopeo)
  --clean            remove the state folder (registries, build cache, logs, reports) first
  --state DIR        the state folder (default .portcullis)
  --config FILE      the configuration (default portcullis.config.ts)
  --ref REF          the git ref the build claims (default refs/heads/<first release branch>)
  --github-repo O/R  report to this GitHub repository: a check run with a GitHub App (GITHUB_APP_ID,
                     GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE), or a
                     commit status with GITHUB_TOKEN; GITHUB_API_URL for GitHub Enterprise. Without it the check
                     run is printed and written as markdown to the state folder.

Slack: set SLACK_WEBHOOK_URL to post; otherwise each message is previewed and written as Block Kit JSON.

One run at a time per state folder. Ctrl-C stops after the work in flight settles (a second Ctrl-C at once),
and stops every service the run started.

Exit codes: 0 the pipeline did what the policy says (a correct rejection included), 1 something broke or
another run uses the state folder, 2 bad input (unknown scenario, invalid findings or policy, invalid
configuration), 130 interrupted.`;

/** What a shell reports for a process ended by SIGINT (128 + 2). */
const INTERRUPTED = 130;

/** `portcullis local`: turns flags into {@link runLocal} options, handles Ctrl-C, maps outcomes to exit codes. */
export const command: Command = {
  name: "local",
  summary: "Run the whole pipeline locally: registries, build, scan, gate, promote, replicate",
  usage,
  async run(argv, io) {
    const args = parseLocalArgs(argv);
    const configFile = resolve(io.cwd, args.config ?? "portcullis.config.ts");
    const controller = new AbortController();
    const interrupted = () => {
      if (!controller.signal.aborted) {
        io.stderr(
          "\nportcullis local: interrupted, stopping once the work in flight settles (Ctrl-C again: at once)\n",
        );
        controller.abort();
        return;
      }
      io.stderr("portcullis local: stopping at once\n");
      process.exit(INTERRUPTED);
    };
    process.on("SIGINT", interrupted);
    process.on("SIGTERM", interrupted);
    try {
      const config = await loadConfig(configFile);
      const { report } = await runLocal({
        ...args,
        config,
        configDir: dirname(configFile),
        cwd: io.cwd,
        env: io.env,
        out: { write: io.stdout, tty: io.isTty, columns: process.stdout.columns },
        signal: controller.signal,
      });
      return report.problems.length === 0 ? ExitCode.Ok : ExitCode.Failed;
    } catch (error) {
      if (error instanceof InterruptedError) {
        io.stderr(`portcullis local: ${error.message}; the services it started are stopped\n`);
        return INTERRUPTED;
      }
      if (isBadInput(error)) {
        io.stderr(`portcullis local: ${(error as Error).message}\n`);
        return ExitCode.Usage;
      }
      io.stderr(`portcullis local: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.Failed;
    } finally {
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
    }
  },
};

function isBadInput(error: unknown): boolean {
  return [ScenarioError, ValidationError, ConfigNotFoundError, ConfigLoadError].some(
    (type) => error instanceof type,
  );
}

function parseLocalArgs(argv: readonly string[]) {
  const { values, positionals } = parse(argv);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.scenario !== undefined && values.findings !== undefined)
    throw new UsageError("give --scenario or --findings, not both");
  if (values.scenario !== undefined && !(SCENARIOS as readonly string[]).includes(values.scenario))
    throw new UsageError(
      `--scenario ${JSON.stringify(values.scenario)} must be one of ${SCENARIOS.join(", ")}`,
    );
  if (values["github-repo"] !== undefined && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(values["github-repo"]))
    throw new UsageError(`--github-repo ${JSON.stringify(values["github-repo"])} must be OWNER/REPO`);
  return {
    ...(values.scenario !== undefined && { scenario: values.scenario }),
    ...(values.findings !== undefined && { findings: values.findings }),
    ...(values.state !== undefined && { state: values.state }),
    ...(values.config !== undefined && { config: values.config }),
    ...(values.ref !== undefined && { ref: values.ref }),
    ...(values["github-repo"] !== undefined && { githubRepo: values["github-repo"] }),
    keep: values.keep ?? false,
    clean: values.clean ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgsOrUsage({
    args: [...argv],
    allowPositionals: true,
    options: {
      scenario: { type: "string" },
      findings: { type: "string" },
      keep: { type: "boolean" },
      clean: { type: "boolean" },
      state: { type: "string" },
      config: { type: "string" },
      ref: { type: "string" },
      "github-repo": { type: "string" },
    },
  });
}
