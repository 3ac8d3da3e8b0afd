import type { AwsCall } from "./AwsCall.ts";
import { ACCOUNT, PARTITION } from "./deployment.ts";

/** How the calls of a build or a release name the deployment's resources. */
export interface BuildNames {
  readonly region: string;
  /** The deployed CodeBuild project a build id's project (`shop-web:…`) stands for. */
  readonly project: (name: string) => string;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/;
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];
const PUSH = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
];

/** The repository ARN of an ECR image reference (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO[:tag|@digest]`). */
function repositoryOf(reference: string): string {
  const match = ECR_HOST.exec(reference);
  if (match === null) throw new Error(`not an ECR image reference: ${reference}`);
  return `arn:${PARTITION}:ecr:${match[2]}:${match[1]}:repository/${match[3]}`;
}

const projectArn = (names: BuildNames, buildId: string) =>
  `arn:${PARTITION}:codebuild:${names.region}:${ACCOUNT}:project/${names.project(buildId.split(":")[0] ?? buildId)}`;

/**
 * The AWS calls behind the `docker` and `aws` invocations build.sh and the buildspec make in CodeBuild (as the
 * buildx tests' stand-ins record them), for the project role `caller`: buildx's registry cache is pulled and
 * pushed, the platform image pushed by digest, `imagetools create` reads the platform images and pushes the
 * index, ECR's DescribeImages and CodeBuild's batch reads as the CLI calls them. An invocation no rule covers
 * throws, so a new kind of call cannot slip by.
 */
export function buildToolCalls(
  caller: string,
  invocations: readonly string[][],
  names: BuildNames,
): AwsCall[] {
  return invocations.flatMap((argv) => {
    const site = `buildspec/build.sh → ${argv.slice(0, 3).join(" ")}`;
    const on = (actions: readonly string[], resource: string) =>
      actions.map((action) => ({ caller, action, resource, site }));
    const values = (flag: string) => argv.filter((_, i) => argv[i - 1] === flag);
    const [tool, group, op] = argv;
    if (tool === "docker" && group === "buildx" && op === "build") {
      const ref = (spec: string) => /(?:^|,)ref=([^,]+)/.exec(spec)?.[1] ?? "";
      const output = /(?:^|,)name=([^,]+)/.exec(values("--output")[0] ?? "")?.[1];
      return [
        ...on(["ecr:GetAuthorizationToken"], "*"),
        ...values("--cache-from").flatMap((spec) => on(PULL, repositoryOf(ref(spec)))),
        ...values("--cache-to").flatMap((spec) => on([...PULL, ...PUSH], repositoryOf(ref(spec)))),
        ...(output === undefined ? [] : on(PUSH, repositoryOf(output))),
      ];
    }
    if (tool === "docker" && group === "buildx" && op === "imagetools") {
      const sources = argv.slice(3).filter((arg) => ECR_HOST.test(arg) && !values("--tag").includes(arg));
      return [
        ...on(["ecr:GetAuthorizationToken"], "*"),
        ...sources.flatMap((source) => on(["ecr:BatchGetImage"], repositoryOf(source))),
        ...values("--tag").flatMap((tag) => on(["ecr:BatchGetImage", ...PUSH], repositoryOf(tag))),
      ];
    }
    if (tool === "docker") return []; // builder inspect/create: local
    if (tool === "aws" && group === "ecr" && op === "get-login-password")
      return on(["ecr:GetAuthorizationToken"], "*");
    if (tool === "aws" && group === "ecr" && op === "describe-images") {
      const [registry, region, repository] = ["--registry-id", "--region", "--repository-name"].map(
        (f) => values(f)[0],
      );
      return on(
        ["ecr:DescribeImages"],
        `arn:${PARTITION}:ecr:${region}:${registry}:repository/${repository}`,
      );
    }
    if (
      tool === "aws" &&
      group === "codebuild" &&
      (op === "batch-get-builds" || op === "batch-get-build-batches")
    ) {
      const action =
        op === "batch-get-builds" ? "codebuild:BatchGetBuilds" : "codebuild:BatchGetBuildBatches";
      const start = argv.indexOf("--ids") + 1;
      const end = argv.findIndex((arg, at) => at >= start && arg.startsWith("--"));
      const ids = argv.slice(start, end < 0 ? undefined : end);
      return ids.flatMap((id) =>
        on([action], projectArn(names, id.replace(/^arn:.*:build(?:-batch)?\//, ""))),
      );
    }
    throw new Error(`no IAM mapping for ${argv.join(" ")}`);
  });
}

/** One AWS SDK command as sent (aws-sdk-client-mock records them): its name and input. */
export interface SentCommand {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/**
 * The AWS calls behind the SDK commands `portcullis build start` sends with the release role: StartBuildBatch,
 * the batch and build reads on the project, GetLogEvents on the project's log group and stream.
 */
export function releaseCalls(commands: readonly SentCommand[], names: BuildNames): AwsCall[] {
  return commands.flatMap(({ name, input }) => {
    const site = `src/build (${name})`;
    const call = (action: string, resource: string): AwsCall => ({
      caller: "release",
      action,
      resource,
      site,
    });
    switch (name) {
      case "StartBuildBatchCommand":
        return [
          {
            ...call("codebuild:StartBuildBatch", projectArn(names, String(input.projectName))),
            context: startBuildBatchContext(input),
          },
        ];
      case "BatchGetBuildBatchesCommand":
        return (input.ids as string[]).map((id) =>
          call("codebuild:BatchGetBuildBatches", projectArn(names, id)),
        );
      case "BatchGetBuildsCommand":
        return (input.ids as string[]).map((id) => call("codebuild:BatchGetBuilds", projectArn(names, id)));
      case "GetLogEventsCommand":
        return [
          call(
            "logs:GetLogEvents",
            `arn:${PARTITION}:logs:${names.region}:${ACCOUNT}:log-group:${logGroup(names, String(input.logGroupName))}:log-stream:${String(input.logStreamName)}`,
          ),
        ];
      default:
        throw new Error(`no IAM mapping for ${name}`);
    }
  });
}

/**
 * StartBuildBatch's request fields and the condition key CodeBuild sets when a request carries each (CodeBuild
 * User Guide, "Using condition keys to control access to CodeBuild"; the keys are checked against the service
 * authorization data in test/stacks/primary.test.ts). A nested field is `parent.child`.
 */
const START_OVERRIDE_KEYS: Readonly<Record<string, string>> = {
  buildspecOverride: "codebuild:source.buildspec",
  sourceLocationOverride: "codebuild:source.location",
  "sourceAuthOverride.type": "codebuild:source.auth.type",
  "sourceAuthOverride.resource": "codebuild:source.auth.resource",
  insecureSslOverride: "codebuild:source.insecureSsl",
  secondarySourcesOverride: "codebuild:secondarySources",
  "secondarySourcesOverride.location": "codebuild:secondarySources.location",
  "secondarySourcesOverride.buildspec": "codebuild:secondarySources.buildspec",
  imageOverride: "codebuild:environment.image",
  environmentTypeOverride: "codebuild:environment.type",
  computeTypeOverride: "codebuild:environment.computeType",
  privilegedModeOverride: "codebuild:environment.privilegedMode",
  certificateOverride: "codebuild:environment.certificate",
  registryCredentialOverride: "codebuild:environment.registryCredential",
  imagePullCredentialsTypeOverride: "codebuild:environment.imagePullCredentialsType",
  serviceRoleOverride: "codebuild:serviceRole",
  buildBatchConfigOverride: "codebuild:buildBatchConfig",
  "buildBatchConfigOverride.serviceRole": "codebuild:buildBatchConfig.serviceRole",
  encryptionKeyOverride: "codebuild:encryptionKey",
  cacheOverride: "codebuild:cache",
  artifactsOverride: "codebuild:artifacts",
  secondaryArtifactsOverride: "codebuild:secondaryArtifacts",
  logsConfigOverride: "codebuild:logsConfig",
};

/** The condition keys a StartBuildBatch request sets: one per override it carries, and the variable names. */
function startBuildBatchContext(input: Record<string, unknown>): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  for (const [field, key] of Object.entries(START_OVERRIDE_KEYS)) {
    const [parent = field, child] = field.split(".");
    const values = [input[parent]]
      .flat()
      .map((value) => (child === undefined ? value : (value as Record<string, unknown> | undefined)?.[child]))
      .filter((value) => value !== undefined);
    if (values.length > 0)
      context[key] = values.map((value) => (typeof value === "string" ? value : JSON.stringify(value)));
  }
  const variables = input.environmentVariablesOverride as { name: string }[] | undefined;
  if (variables !== undefined)
    context["codebuild:environment.environmentVariables.name"] = variables.map((variable) => variable.name);
  return context;
}

/** A project's log group (`/aws/codebuild/<project>`) as deployed. */
function logGroup(names: BuildNames, group: string): string {
  const prefix = "/aws/codebuild/";
  return group.startsWith(prefix) ? `${prefix}${names.project(group.slice(prefix.length))}` : group;
}
