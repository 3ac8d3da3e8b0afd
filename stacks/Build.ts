import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as codebuild from "aws-cdk-lib/aws-codebuild";
import type * as ecr from "aws-cdk-lib/aws-ecr";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3assets from "aws-cdk-lib/aws-s3-assets";
import { type Stack, type StackContext, use } from "sst/constructs";
import { useProject } from "sst/project.js";
import { parse } from "yaml";
import { batchBuildspec } from "../src/build/batchBuildspec.ts";
import { buildProjectName } from "../src/build/buildProjectName.ts";
import type { PortcullisConfig, RepositoryConfig } from "../src/config/PortcullisConfig.ts";
import { ValidationError } from "../src/core/ValidationError.ts";
import { idFor, useConfig } from "./config.ts";
import { suppressProjectRoleFindings } from "./nag.ts";
import { Registry, type RegistryResources } from "./Registry.ts";
import { createReleaseRole } from "./releaseRole.ts";

/** What the Build stack hands to the others. */
export interface BuildResources {
  /** CodeBuild projects by repository name. */
  readonly projects: ReadonlyMap<string, codebuild.IProject>;
  /** The role GitHub Actions assumes through OIDC to start and follow builds. */
  readonly releaseRole: iam.IRole;
}

/** The identifier of the secondary source holding build.sh (`$CODEBUILD_SRC_DIR_portcullis`). */
const SCRIPT_SOURCE = "portcullis";

/** What every project of the stack shares: the buildspec template, build.sh as an S3 asset, the key. */
interface SharedBuildParts {
  readonly template: unknown;
  readonly script: s3assets.Asset;
  readonly key: kms.IKey;
}

/** One repository's project and the log group its builds write to. */
interface RepositoryBuild {
  readonly project: codebuild.Project;
  readonly logGroup: logs.ILogGroup;
}

/**
 * One CodeBuild project per repository, running the batch buildspec (native platform jobs, then the
 * index job) against the GitHub repository at the commit `portcullis build start` names; its role can
 * push only to that repository and its cache. Plus the GitHub OIDC provider and the release role, whose
 * trust policy comes from src/oidc (the document `portcullis trust-policy` prints) and which may only
 * start and read these projects' batches and read their logs.
 */
export function Build({ app, stack }: StackContext): BuildResources {
  const config = useConfig(app);
  const registry = use(Registry);
  const shared = sharedBuildParts(stack, app.stage);
  const projects = new Map<string, codebuild.Project>();
  const logGroups: logs.ILogGroup[] = [];
  for (const repository of config.repositories) {
    const name = buildProjectName(app.name, app.stage, repository.name);
    const { project, logGroup } = repositoryBuild(stack, { config, repository, registry, shared, name });
    projects.set(repository.name, project);
    logGroups.push(logGroup);
  }
  const releaseRole = createReleaseRole(stack, config, [...projects.values()], logGroups);
  stack.addOutputs({
    ReleaseRoleArn: releaseRole.roleArn,
    ...Object.fromEntries(
      [...projects].map(([name, project]) => [
        `Project${idFor(name).replaceAll("-", "")}`,
        project.projectName,
      ]),
    ),
  });
  return { projects, releaseRole };
}

function sharedBuildParts(stack: Stack, stage: string): SharedBuildParts {
  const root = useProject().paths.root;
  return {
    template: parse(readFileSync(join(root, "buildspec/buildspec.yml"), "utf8")),
    script: new s3assets.Asset(stack, "BuildScript", {
      path: join(root, "buildspec"),
      exclude: ["*", "!build.sh"],
    }),
    key: new kms.Key(stack, "BuildKey", {
      description: `Portcullis ${stage}: CodeBuild artifacts and caches`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }),
  };
}

/** What {@link repositoryBuild} makes a repository's project from. */
interface RepositoryBuildProps {
  readonly config: PortcullisConfig;
  readonly repository: RepositoryConfig;
  readonly registry: RegistryResources;
  readonly shared: SharedBuildParts;
  /** The project name (src/build buildProjectName). */
  readonly name: string;
}

/** A repository's log group and project, with batch builds, the source connection and its grants. */
function repositoryBuild(stack: Stack, props: RepositoryBuildProps): RepositoryBuild {
  const { config, repository, registry, name } = props;
  const image = registry.repositories.get(repository.name);
  const cache = registry.caches.get(repository.name);
  if (image === undefined || cache === undefined)
    throw new Error(`no repository ${repository.name} in the Registry stack`);
  const logGroup = new logs.LogGroup(stack, `Logs-${idFor(repository.name)}`, {
    logGroupName: `/aws/codebuild/${name}`,
    retention: config.build.logRetentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const project = newProject(stack, props, { image, cache, logGroup });
  configureBatch(project, repository, config.build.timeoutMinutes);
  useConnection(project, config.github.connectionArn);
  grantRegistryAccess(stack, project, { image, cache, buildkitImage: config.build.buildkitImage });
  suppressProjectRoleFindings(project);
  return { project, logGroup };
}

/**
 * The CodeBuild project itself: the repository's commit as source, build.sh as the secondary source, the batch
 * buildspec for its platforms, an unprivileged project-level environment (the platform jobs set their own),
 * the PORTCULLIS_* variables, timeouts, the build key and the log group.
 */
function newProject(
  stack: Stack,
  { config, repository, shared, name }: RepositoryBuildProps,
  { image, cache, logGroup }: { image: ecr.IRepository; cache: ecr.IRepository; logGroup: logs.ILogGroup },
): codebuild.Project {
  const spec = batchBuildspec(shared.template, repository.platforms);
  if (!spec.ok) throw new ValidationError("buildspec/buildspec.yml", spec.error);
  return new codebuild.Project(stack, `Project-${idFor(repository.name)}`, {
    projectName: name,
    description: `Portcullis: multi-arch build of ${repository.name} from ${config.github.owner}/${config.github.repo}`,
    source: codebuild.Source.gitHub({
      owner: config.github.owner,
      repo: config.github.repo,
      webhook: false,
      reportBuildStatus: false,
    }),
    secondarySources: [
      codebuild.Source.s3({
        bucket: shared.script.bucket,
        path: shared.script.s3ObjectKey,
        identifier: SCRIPT_SOURCE,
      }),
    ],
    buildSpec: codebuild.BuildSpec.fromObjectToYaml(spec.value),
    environment: {
      buildImage: codebuild.LinuxBuildImage.fromCodeBuildImageId(
        "aws/codebuild/amazonlinux-x86_64-standard:5.0",
      ),
      computeType: codebuild.ComputeType.SMALL,
      privileged: false,
    },
    environmentVariables: buildVariables(config, repository, image.repositoryUri, cache.repositoryUri),
    timeout: Duration.minutes(config.build.timeoutMinutes),
    queuedTimeout: Duration.hours(1),
    encryptionKey: shared.key,
    logging: { cloudWatch: { logGroup } },
  });
}

/**
 * What a project's role may do in ECR: push to its repository and cache (and describe its images), pull the
 * BuildKit image when it is kept in a private ECR repository, and read its own batch's builds (the index job
 * reads the digests its batch's platform jobs exported).
 */
function grantRegistryAccess(
  stack: Stack,
  project: codebuild.Project,
  { image, cache, buildkitImage }: { image: ecr.IRepository; cache: ecr.IRepository; buildkitImage: string },
): void {
  image.grantPullPush(project);
  image.grant(project, "ecr:DescribeImages");
  cache.grantPullPush(project);
  const buildkit = privateEcrRepositoryArn(stack, buildkitImage);
  if (buildkit !== undefined)
    iam.Grant.addToPrincipal({
      grantee: project,
      actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      resourceArns: [buildkit],
    });
  iam.Grant.addToPrincipal({
    grantee: project,
    actions: ["codebuild:BatchGetBuilds", "codebuild:BatchGetBuildBatches"],
    resourceArns: [project.projectArn],
  });
}

/** The repository ARN of an image in a private ECR registry (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/…`). */
function privateEcrRepositoryArn(stack: Stack, image: string): string | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  if (match === null) return undefined;
  const [, account, region, repository] = match;
  return stack.formatArn({
    service: "ecr",
    account,
    region,
    resource: "repository",
    resourceName: repository,
  });
}

function buildVariables(
  config: PortcullisConfig,
  repository: RepositoryConfig,
  imageUri: string,
  cacheUri: string,
) {
  const plain = (value: string) => ({ value, type: codebuild.BuildEnvironmentVariableType.PLAINTEXT });
  return {
    PORTCULLIS_BUILDER: plain("buildx"),
    PORTCULLIS_BUILDKIT_IMAGE: plain(config.build.buildkitImage),
    PORTCULLIS_IMAGE: plain(imageUri),
    PORTCULLIS_CACHE: plain(cacheUri),
    PORTCULLIS_CONTEXT: plain(repository.context),
    PORTCULLIS_DOCKERFILE: plain(repository.dockerfile),
    PORTCULLIS_PLATFORMS: plain(repository.platforms.join(" ")),
  };
}

/** Batch builds on, limited to the jobs of the buildspec and the compute types it names. */
function configureBatch(
  project: codebuild.Project,
  repository: RepositoryConfig,
  timeoutMinutes: number,
): void {
  project.enableBatchBuilds();
  const cfn = project.node.defaultChild as codebuild.CfnProject;
  cfn.addPropertyOverride("BuildBatchConfig.TimeoutInMins", timeoutMinutes);
  cfn.addPropertyOverride("BuildBatchConfig.Restrictions", {
    MaximumBuildsAllowed: repository.platforms.length + 1,
    ComputeTypesAllowed: ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"],
  });
}

/**
 * The IAM actions CodeBuild needs on a connection to clone through it, under the prefix of the connection's
 * ARN: `codeconnections` for connections created since the service's rename, `codestar-connections` for older
 * ones (an ARN keeps the prefix it was created with, and IAM matches the action's prefix against it).
 */
export function connectionActions(connectionArn: string): string[] {
  const prefix = connectionArn.split(":")[2];
  if (prefix !== "codeconnections" && prefix !== "codestar-connections")
    throw new Error(`connectionArn: "${connectionArn}" is not a CodeConnections connection ARN`);
  return ["GetConnection", "GetConnectionToken", "UseConnection"].map((action) => `${prefix}:${action}`);
}

/** Private repositories: clone through a CodeConnections connection instead of account-wide credentials. */
function useConnection(project: codebuild.Project, connectionArn: string | undefined): void {
  if (connectionArn === undefined) return;
  const cfn = project.node.defaultChild as codebuild.CfnProject;
  cfn.addPropertyOverride("Source.Auth", { Type: "CODECONNECTIONS", Resource: connectionArn });
  iam.Grant.addToPrincipal({
    grantee: project,
    actions: connectionActions(connectionArn),
    resourceArns: [connectionArn],
  });
}
