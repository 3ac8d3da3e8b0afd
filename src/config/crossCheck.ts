import { parseRepositoryName } from "../core/repositoryName.ts";
import type { ValidationIssue } from "../core/result.ts";
import { sanitizeTag } from "../tags/sanitizeTag.ts";
import { cacheRepositoryName } from "./cacheRepositoryName.ts";
import type { PortcullisConfig } from "./PortcullisConfig.ts";
import { tagMutability } from "./tagMutability.ts";

/**
 * The checks that relate fields to each other, run after the schema accepted each field on its own.
 * @example crossCheck(config) // => [] when consistent
 */
export function crossCheck(config: PortcullisConfig, explicitDefaultBranch: boolean): ValidationIssue[] {
  return [
    ...regionIssues(config),
    ...repositoryIssues(config),
    ...githubIssues(config),
    ...(explicitDefaultBranch ? defaultBranchIssues(config) : []),
    ...mutabilityIssues(config),
    ...scanningIssues(config),
  ];
}

function regionIssues({ primaryRegion, replicaRegions }: PortcullisConfig): ValidationIssue[] {
  return replicaRegions.flatMap((region, index) => {
    const field = `replicaRegions[${index}]`;
    if (region === primaryRegion)
      return [{ field, value: region, message: `must differ from primaryRegion ("${primaryRegion}")` }];
    if (replicaRegions.indexOf(region) !== index)
      return [{ field, value: region, message: "is listed twice" }];
    return [];
  });
}

function repositoryIssues({ repositories }: PortcullisConfig): ValidationIssue[] {
  const names = repositories.map((repository) => repository.name);
  return repositories.flatMap(({ name }, index) => {
    const field = `repositories[${index}].name`;
    if (names.indexOf(name) !== index) return [{ field, value: name, message: "is listed twice" }];
    const cache = parseRepositoryName(cacheRepositoryName(name), field);
    if (!cache.ok)
      return [
        { field, value: name, message: `is too long for its cache repository ${cacheRepositoryName(name)}` },
      ];
    return [];
  });
}

function githubIssues({ github }: PortcullisConfig): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (github.branches.length + github.tagPatterns.length + github.environments.length === 0)
    issues.push({
      field: "github.branches",
      value: github.branches,
      message:
        "is empty, and so are tagPatterns and environments: nothing could ever assume the release role",
    });
  github.branches.forEach((branch, index) => {
    const tag = sanitizeTag(branch, `github.branches[${index}]`);
    if (!tag.ok) issues.push(...tag.error);
  });
  return issues;
}

function defaultBranchIssues({ github, tags }: PortcullisConfig): ValidationIssue[] {
  if (github.branches.includes(tags.defaultBranch)) return [];
  return [
    {
      field: "tags.defaultBranch",
      value: tags.defaultBranch,
      message: `is not one of github.branches (${github.branches.join(", ") || "none"}): it could never release`,
    },
  ];
}

function mutabilityIssues(config: PortcullisConfig): ValidationIssue[] {
  const decided = tagMutability(config);
  return decided.ok ? [] : decided.error;
}

function scanningIssues(config: PortcullisConfig): ValidationIssue[] {
  const deployed = [config.primaryRegion, ...config.replicaRegions];
  return config.manageRegistryScanning.flatMap((region, index) =>
    deployed.includes(region)
      ? []
      : [
          {
            field: `manageRegistryScanning[${index}]`,
            value: region,
            message: `is neither primaryRegion nor one of replicaRegions (${deployed.join(", ")})`,
          },
        ],
  );
}
