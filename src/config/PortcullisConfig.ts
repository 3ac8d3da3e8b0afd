import type { z } from "zod";
import type { TagRules } from "../tags/TagRules.ts";
import type { configSchema, repositorySchema } from "./schema.ts";

/** The configuration as written by a user: optional fields may be left out. */
export type PortcullisConfigInput = z.input<typeof configSchema>;

/** The validated configuration with every default applied; what stacks, CLI and local pipeline read. */
export type PortcullisConfig = Omit<z.output<typeof configSchema>, "tags"> & {
  /** Promotion tag rules, complete (defaults from src/tags, default branch from `github.branches`). */
  readonly tags: TagRules;
};

/** One validated image repository. */
export type RepositoryConfig = z.output<typeof repositorySchema>;
