import { RemovalPolicy } from "aws-cdk-lib";
import * as ecr from "aws-cdk-lib/aws-ecr";
import * as kms from "aws-cdk-lib/aws-kms";
import type { Stack, StackContext } from "sst/constructs";
import { cacheRepositoryName } from "../src/config/cacheRepositoryName.ts";
import { cacheLifecyclePolicy, type LifecyclePolicy } from "../src/config/lifecyclePolicy.ts";
import type { PortcullisConfig } from "../src/config/PortcullisConfig.ts";
import { regionRole } from "../src/config/regionRole.ts";
import { registryKeyAlias } from "../src/config/registryKeyAlias.ts";
import { repositorySettings } from "../src/config/repositorySettings.ts";
import { ValidationError } from "../src/core/ValidationError.ts";
import { idFor, useConfig } from "./config.ts";

/** What the Registry stack hands to the others. */
export interface RegistryResources {
  /** The customer-managed key of this region's repositories. */
  readonly key: kms.IKey;
  /** Image repositories by configured name. */
  readonly repositories: ReadonlyMap<string, ecr.IRepository>;
  /** Build cache repositories by image repository name (primary region only). */
  readonly caches: ReadonlyMap<string, ecr.IRepository>;
}

/**
 * The image repositories of one region, every region alike: scanning (on push, or Inspector registry-wide),
 * tag immutability with the promotion tags excluded, a customer-managed KMS key, and the lifecycle that
 * never expires promoted images. The primary region also gets one build cache repository per image
 * repository. Settings come from src/config, the same the replicate function applies. The account-wide
 * registry scanning configuration is created only in the regions `manageRegistryScanning` names.
 */
export function Registry({ app, stack }: StackContext): RegistryResources {
  const config = useConfig(app);
  const settings = repositorySettings(config);
  if (!settings.ok) throw new ValidationError("repository settings", settings.error);
  const role = regionRole(config, stack.region);
  if (!role.ok) throw new ValidationError("deployment region", role.error);

  const key = new kms.Key(stack, "RegistryKey", {
    alias: registryKeyAlias(app.name, app.stage),
    description: `Portcullis ${app.stage}: ECR repositories in ${stack.region}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const { scanOnPush, tagMutability, lifecyclePolicy } = settings.value;
  const repositories = new Map<string, ecr.IRepository>();
  for (const { name } of config.repositories) {
    const repository = new ecr.Repository(stack, `Repository-${idFor(name)}`, {
      repositoryName: name,
      imageScanOnPush: scanOnPush,
      imageTagMutability: ecr.TagMutability[tagMutability.imageTagMutability],
      ...(tagMutability.filters.length > 0 && {
        imageTagMutabilityExclusionFilters: tagMutability.filters.map((filter) =>
          ecr.ImageTagMutabilityExclusionFilter.wildcard(filter),
        ),
      }),
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    setLifecycle(repository, lifecyclePolicy);
    repositories.set(name, repository);
  }

  const caches = new Map<string, ecr.IRepository>();
  if (role.value === "primary") {
    for (const { name } of config.repositories) {
      const cache = new ecr.Repository(stack, `Cache-${idFor(name)}`, {
        repositoryName: cacheRepositoryName(name),
        imageScanOnPush: false,
        imageTagMutability: ecr.TagMutability.MUTABLE,
        encryption: ecr.RepositoryEncryption.KMS,
        encryptionKey: key,
        removalPolicy: RemovalPolicy.DESTROY,
        emptyOnDelete: true,
      });
      setLifecycle(cache, cacheLifecyclePolicy(config));
      caches.set(name, cache);
    }
  }

  if (config.manageRegistryScanning.includes(stack.region)) manageRegistryScanning(stack, config);

  stack.addOutputs(
    Object.fromEntries(
      [...repositories].map(([name, repository]) => [
        `Repository${idFor(name).replaceAll("-", "")}`,
        repository.repositoryUri,
      ]),
    ),
  );
  return { key, repositories, caches };
}

/**
 * The account's registry scanning configuration in this region, set to the configured mode for Portcullis'
 * repositories. One resource per account and region, shared by every repository there: created only in the
 * regions `manageRegistryScanning` lists, never by default, so it overrides nothing another owner set.
 */
function manageRegistryScanning(stack: Stack, config: PortcullisConfig): void {
  const enhanced = config.scanning === "enhanced";
  new ecr.CfnRegistryScanningConfiguration(stack, "RegistryScanning", {
    scanType: enhanced ? "ENHANCED" : "BASIC",
    rules: [
      {
        scanFrequency: enhanced ? "CONTINUOUS_SCAN" : "SCAN_ON_PUSH",
        repositoryFilters: config.repositories.map(({ name }) => ({ filter: name, filterType: "WILDCARD" })),
      },
    ],
  });
}

function setLifecycle(repository: ecr.Repository, policy: LifecyclePolicy): void {
  const cfn = repository.node.defaultChild as ecr.CfnRepository;
  cfn.lifecyclePolicy = { lifecyclePolicyText: JSON.stringify(policy) };
}
