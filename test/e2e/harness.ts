import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadConfig, type PortcullisConfig } from "../../src/config/index.ts";
import { packageRoot } from "../../src/core/packageRoot.ts";
import { portcullisEventDefaults } from "../../src/events/index.ts";
import { localAttestationKey } from "../../src/local/adapters/localAttestationKey.ts";
import { type BuiltImage, republish } from "../../src/local/build/BuiltImage.ts";
import { gitInfo } from "../../src/local/build/gitInfo.ts";
import { runBuildScript } from "../../src/local/build/runBuildScript.ts";
import { type RunScenarioOptions, runScenario } from "../../src/local/pipeline/runScenario.ts";

const PACKAGE_ROOT = packageRoot(import.meta.url);

import { loadScenario } from "../../src/local/scenario/loadScenario.ts";
import { LocalServices } from "../../src/local/services/LocalServices.ts";
import { stateLayout } from "../../src/local/services/StateLayout.ts";
import { createRegistryClient } from "../../src/registry/index.ts";
import { AwsCallRecorder } from "../iam/AwsCallRecorder.ts";
import { deployedPolicies, expectCallsAllowed } from "../iam/expectAllowed.ts";

const run = promisify(execFile);

/** One file's services and build, shared by its tests: start in beforeAll, stop in afterAll. */
export interface E2eHarness {
  readonly services: LocalServices;
  readonly config: PortcullisConfig;
  /** The example built once, in repository `e2e/build`. */
  readonly built: BuiltImage;
  /** Runs the pipeline for a scenario over the build, republished to its own repository. */
  run(
    scenario: string | { folder: string },
    repository: string,
    options?: Partial<RunScenarioOptions>,
  ): ReturnType<typeof runScenario>;
  stop(): Promise<void>;
}

/**
 * Starts the loopback services (three registries, dynalite) in a temp state folder and builds examples/app
 * once with the build script (buildah), as `npm start` does. Every run records the AWS calls each function
 * makes through its ports and fails when the deployed role of that function would refuse one (test/iam).
 */
export async function startHarness(): Promise<E2eHarness> {
  const root = await mkdtemp(join(tmpdir(), "portcullis-e2e-"));
  const config = await loadConfig("portcullis.config.ts", { cwd: PACKAGE_ROOT });
  const services = await LocalServices.start({
    layout: stateLayout(root, "state"),
    primaryRegion: config.primaryRegion,
    replicaRegions: config.replicaRegions,
    tableName: "portcullis-e2e",
  });
  try {
    const built = await build(services, config);
    const primary = createRegistryClient(services.primary.host);
    const repository = config.repositories[0];
    // The deciding functions sign as `npm start` does; their kms:Sign is checked against the deployed key.
    const { layout } = services;
    const attestation = await localAttestationKey(layout.attestationKey, layout.attestationPublicKey);
    const attestationKey = (await deployedPolicies(config)).arnOf("State", "AttestationKey");
    const calls = awsCalls(services, config, attestationKey);
    return {
      services,
      config,
      built,
      async run(scenario, target, options = {}) {
        const loaded = await loadScenario({
          ...(typeof scenario === "string" ? { name: scenario } : { folder: scenario.folder }),
          examplesDir: join(PACKAGE_ROOT, "examples/findings"),
          defaultPolicyFile: join(PACKAGE_ROOT, "examples/policies/portcullis.policy.yaml"),
          platforms: repository?.platforms ?? [],
        });
        const image = await republish(primary, built, target);
        calls.take();
        const report = await runScenario({
          services,
          config,
          image,
          scenario: loaded,
          account: portcullisEventDefaults.account,
          attestation,
          ...options,
          wiring: { ...options.wiring, ports: calls.ports },
        });
        if (calls.unmapped.length > 0)
          throw new Error(`registry calls with no ECR action mapped:\n${calls.unmapped.join("\n")}`);
        await expectCallsAllowed(calls.take(), config);
        return report;
      },
      async stop() {
        calls.stop();
        primary.close();
        await services.stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await services.stop();
    throw error;
  }
}

/** Records the functions' AWS calls: every repository a run gates stands for the configured one. */
function awsCalls(
  services: LocalServices,
  config: PortcullisConfig,
  attestationKey: string,
): AwsCallRecorder {
  const deployed = config.repositories[0]?.name ?? "";
  const report =
    config.report?.kind === "check-run" ? config.report.githubAppSecret : config.report?.statusTokenSecret;
  const recorder = new AwsCallRecorder({
    region: config.primaryRegion,
    hosts: services.hosts,
    repository: () => deployed,
    scanning: config.scanning,
    attestationKey,
    secrets: {
      ...(report !== undefined && { report }),
      ...(config.slack !== undefined && { notify: config.slack.webhookSecret }),
    },
  });
  recorder.watchDynamo(services.dynamo.client);
  return recorder;
}

async function build(services: LocalServices, config: PortcullisConfig): Promise<BuiltImage> {
  const repository = config.repositories[0];
  if (!repository) throw new Error("no repository in portcullis.config.ts");
  const git = await gitInfo({
    cwd: PACKAGE_ROOT,
    fallback: { ref: "refs/heads/main", source: "https://github.com/portcullis-dev/portcullis" },
  });
  const withRef = { ...git, ref: "refs/heads/main" };
  const digest = await runBuildScript({
    script: join(PACKAGE_ROOT, "buildspec/build.sh"),
    cwd: PACKAGE_ROOT,
    image: `${services.primary.host}/e2e/build`,
    git: withRef,
    context: repository.context,
    // The offline variant, as `npm start` builds it: the deployed Dockerfile pulls its base from ECR Public.
    dockerfile: repository.localDockerfile ?? repository.dockerfile,
    platforms: repository.platforms,
    buildahDir: services.layout.buildah,
    logFile: join(services.layout.logs, "build.log"),
  });
  return { repository: "e2e/build", tag: `sha-${git.commit}`, digest, git: withRef };
}

/** The digest skopeo computes for a tag: sha256 of the manifest bytes exactly as it reads them. */
export async function skopeoDigest(reference: string): Promise<string> {
  return `sha256:${createHash("sha256")
    .update(await skopeoRawBytes(reference))
    .digest("hex")}`;
}

/** The manifest skopeo reads for a reference, as text. */
export async function skopeoRaw(reference: string): Promise<string> {
  return (await skopeoRawBytes(reference)).toString("utf8");
}

async function skopeoRawBytes(reference: string): Promise<Buffer> {
  const { stdout } = await run(
    "skopeo",
    ["inspect", "--raw", "--tls-verify=false", `docker://${reference}`],
    {
      encoding: "buffer",
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout;
}

/** The tags skopeo lists for a repository; empty when the registry does not know the repository. */
export async function skopeoTags(repository: string): Promise<string[]> {
  try {
    const { stdout } = await run("skopeo", ["list-tags", "--tls-verify=false", `docker://${repository}`]);
    return ((JSON.parse(stdout) as { Tags: string[] | null }).Tags ?? []).sort();
  } catch (error) {
    // distribution answers 404 (NAME_UNKNOWN) for a repository nothing was ever pushed to.
    const stderr = (error as { stderr?: string }).stderr ?? "";
    if (/NAME_UNKNOWN|name unknown|404 \(Not Found\)/i.test(stderr)) return [];
    throw error;
  }
}

/** How many events of a detail-type the handlers published. */
export function countPublished(
  report: { published: readonly { "detail-type"?: string }[] },
  type: string,
): number {
  return report.published.filter((event) => event["detail-type"] === type).length;
}
