import { fail, ok, type Result } from "../core/result.ts";
import { type LifecyclePolicy, lifecyclePolicy } from "./lifecyclePolicy.ts";
import type { PortcullisConfig } from "./PortcullisConfig.ts";
import { type TagMutabilitySettings, tagMutability } from "./tagMutability.ts";

/**
 * Everything an image repository is created with, in every region: the stacks deploy it and the replicate
 * function applies the same when it has to create a repository itself, so settings are copied, never implied.
 */
export interface RepositorySettings {
  /** Basic scanning scans on push; with enhanced scanning the registry-level rule decides. */
  readonly scanOnPush: boolean;
  readonly tagMutability: TagMutabilitySettings;
  /** Always a customer-managed KMS key (one per region, created by the Registry stack). */
  readonly encryption: "KMS";
  readonly lifecyclePolicy: LifecyclePolicy;
}

/**
 * The settings every image repository gets, derived from the configuration.
 * @example repositorySettings(config) // => ok({ scanOnPush: true, tagMutability: {…}, encryption: "KMS", lifecyclePolicy: {…} })
 */
export function repositorySettings(
  config: Pick<PortcullisConfig, "github" | "tags" | "registry" | "scanning">,
): Result<RepositorySettings> {
  const mutability = tagMutability(config);
  if (!mutability.ok) return fail(mutability.error);
  return ok({
    scanOnPush: config.scanning === "basic",
    tagMutability: mutability.value,
    encryption: "KMS",
    lifecyclePolicy: lifecyclePolicy(config),
  });
}
