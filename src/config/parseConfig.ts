import { parseWithSchema } from "../core/parseWithSchema.ts";
import { fail, ok, type Result } from "../core/result.ts";
import { defaultTagRules } from "../tags/TagRules.ts";
import { crossCheck } from "./crossCheck.ts";
import type { PortcullisConfig } from "./PortcullisConfig.ts";
import { configSchema } from "./schema.ts";

/**
 * Validates a configuration object and applies the defaults. Every refusal names the field and the value
 * (`repositories[1].platforms[0]: "linux/386" must be one of …`); nothing half-valid is returned.
 * @example
 * const parsed = parseConfig({ primaryRegion: "eu-west-1", repositories: [{ name: "web" }],
 *   github: { owner: "octo-org", repo: "web" } });
 * if (!parsed.ok) console.error(formatIssues(parsed.error));
 */
export function parseConfig(input: unknown): Result<PortcullisConfig> {
  const parsed = parseWithSchema(configSchema, input);
  if (!parsed.ok) return parsed;
  const { tags, ...rest } = parsed.value;
  const config: PortcullisConfig = {
    ...rest,
    tags: {
      ...defaultTagRules,
      defaultBranch: rest.github.branches[0] ?? defaultTagRules.defaultBranch,
      ...withoutUndefined(tags),
    },
  };
  const issues = crossCheck(config, tags.defaultBranch !== undefined);
  return issues.length > 0 ? fail(issues) : ok(config);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
