import type { z } from "zod";
import { githubSchema } from "../config/schema.ts";
import { parseWithSchema } from "../core/parseWithSchema.ts";
import { fail, type Result } from "../core/result.ts";

/** Who may release: a GitHub repository and the branches, tag patterns and environments it releases from. */
export interface ReleaseIdentity {
  readonly owner: string;
  readonly repo: string;
  readonly branches: readonly string[];
  readonly tagPatterns: readonly string[];
  readonly environments: readonly string[];
}

const identitySchema = githubSchema.pick({
  owner: true,
  repo: true,
  branches: true,
  tagPatterns: true,
  environments: true,
});

/**
 * Validates a release identity with the same rules as the configuration's `github` section, and refuses one
 * that admits nothing.
 * @example parseReleaseIdentity({ owner: "octo-org", repo: "shop", branches: ["main"], tagPatterns: [], environments: [] })
 */
export function parseReleaseIdentity(input: z.input<typeof identitySchema>): Result<ReleaseIdentity> {
  const parsed = parseWithSchema(identitySchema, input);
  if (!parsed.ok) return parsed;
  const { branches, tagPatterns, environments } = parsed.value;
  if (branches.length + tagPatterns.length + environments.length > 0) return parsed;
  return fail([
    {
      field: "branches",
      value: branches,
      message: "is empty, and so are tagPatterns and environments: nothing could assume the role",
    },
  ]);
}
