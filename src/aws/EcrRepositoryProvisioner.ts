import {
  CreateRepositoryCommand,
  type CreateRepositoryCommandInput,
  type ECRClient,
  GetLifecyclePolicyCommand,
  LifecyclePolicyNotFoundException,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
} from "@aws-sdk/client-ecr";
import type { RepositorySettings } from "../config/repositorySettings.ts";
import type { RepositoryProvisioner } from "../handlers/ports.ts";
import { RepositoryProvisioningError } from "./errors.ts";

/** Options for {@link EcrRepositoryProvisioner}. */
export interface EcrRepositoryProvisionerOptions {
  readonly ecr: (region: string) => Pick<ECRClient, "send">;
  /** What every image repository gets (src/config repositorySettings, computed at synth). */
  readonly settings: RepositorySettings;
  /** The customer-managed KMS key of a region (alias, id or ARN); undefined uses ECR's AWS-managed KMS key. */
  readonly kmsKey?: (region: string) => string | undefined;
  /** Tags put on a repository this creates. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * {@link RepositoryProvisioner} for ECR: creates a missing repository with the primary's settings — scan on
 * push, tag mutability with its exclusion filters, KMS encryption — then puts its lifecycle policy. Native
 * replication's implicitly created repositories copy none of these (containers-roadmap#140), which is why we
 * create them. An existing repository is left as it is, except that a missing lifecycle policy is put (so a
 * run that stopped between the two calls is completed by the next), and a region is checked once per container.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
 * @example await new EcrRepositoryProvisioner({ ecr, settings }).ensureRepository("eu-west-1", "team/app")
 */
export class EcrRepositoryProvisioner implements RepositoryProvisioner {
  readonly #options: EcrRepositoryProvisionerOptions;
  readonly #lifecycleText: string;
  readonly #ready = new Set<string>();

  constructor(options: EcrRepositoryProvisionerOptions) {
    this.#options = options;
    this.#lifecycleText = JSON.stringify(options.settings.lifecyclePolicy);
  }

  async ensureRepository(region: string, repository: string): Promise<"created" | "exists"> {
    const key = `${region}/${repository}`;
    if (this.#ready.has(key)) return "exists";
    const outcome = await this.#create(region, repository);
    if (outcome === "created" || !(await this.#hasLifecyclePolicy(region, repository)))
      await this.#putLifecyclePolicy(region, repository);
    this.#ready.add(key);
    return outcome;
  }

  /** The CreateRepository request for a repository in a region (exported for review and tests). */
  createRequest(region: string, repository: string): CreateRepositoryCommandInput {
    const { settings, kmsKey, tags } = this.#options;
    const key = kmsKey?.(region);
    const { filters } = settings.tagMutability;
    return {
      repositoryName: repository,
      imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
      imageTagMutability: settings.tagMutability.imageTagMutability,
      ...(filters.length > 0 && {
        imageTagMutabilityExclusionFilters: filters.map((filter) => ({ filterType: "WILDCARD", filter })),
      }),
      encryptionConfiguration: {
        encryptionType: settings.encryption,
        ...(key !== undefined && { kmsKey: key }),
      },
      ...(tags && { tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
    };
  }

  async #create(region: string, repository: string): Promise<"created" | "exists"> {
    try {
      await this.#options
        .ecr(region)
        .send(new CreateRepositoryCommand(this.createRequest(region, repository)));
      return "created";
    } catch (error) {
      if (error instanceof RepositoryAlreadyExistsException) return "exists";
      throw new RepositoryProvisioningError(region, repository, "create", { cause: error });
    }
  }

  async #hasLifecyclePolicy(region: string, repository: string): Promise<boolean> {
    try {
      await this.#options.ecr(region).send(new GetLifecyclePolicyCommand({ repositoryName: repository }));
      return true;
    } catch (error) {
      if (error instanceof LifecyclePolicyNotFoundException) return false;
      throw new RepositoryProvisioningError(region, repository, "lifecycle", { cause: error });
    }
  }

  async #putLifecyclePolicy(region: string, repository: string): Promise<void> {
    try {
      await this.#options.ecr(region).send(
        new PutLifecyclePolicyCommand({
          repositoryName: repository,
          lifecyclePolicyText: this.#lifecycleText,
        }),
      );
    } catch (error) {
      throw new RepositoryProvisioningError(region, repository, "lifecycle", { cause: error });
    }
  }
}
