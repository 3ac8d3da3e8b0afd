import { access } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigLoadError, ConfigNotFoundError, InvalidConfigError } from "./errors.ts";
import type { PortcullisConfig } from "./PortcullisConfig.ts";
import { parseConfig } from "./parseConfig.ts";

/** The file `loadConfig` reads when none is named. */
export const DEFAULT_CONFIG_FILE = "portcullis.config.ts";

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Directory a relative file name is resolved against. */
  readonly cwd?: string;
}

/**
 * Imports a configuration module (its default export), validates it, and resolves `policyFile` against
 * the configuration's directory. Throws {@link InvalidConfigError} naming every bad field and value,
 * {@link ConfigNotFoundError} or {@link ConfigLoadError}. TypeScript files need a TS-aware loader (the CLI
 * and the tests have one).
 * @example const config = await loadConfig(); // ./portcullis.config.ts
 */
export async function loadConfig(
  file = DEFAULT_CONFIG_FILE,
  options: LoadConfigOptions = {},
): Promise<PortcullisConfig> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  await access(path).catch(() => {
    throw new ConfigNotFoundError(path);
  });
  const input = await importDefault(path);
  const parsed = parseConfig(input);
  if (!parsed.ok) throw new InvalidConfigError(path, parsed.error);
  return { ...parsed.value, policyFile: resolve(dirname(path), parsed.value.policyFile) };
}

async function importDefault(path: string): Promise<unknown> {
  try {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    return module.default;
  } catch (error) {
    throw new ConfigLoadError(path, error);
  }
}
