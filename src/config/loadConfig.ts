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
 * {@link ConfigNotFoundError} or {@link ConfigLoadError}. A TypeScript file is imported through tsx's scoped
 * loader, so it loads the same from the sources and from the CLI bundle (which runs without a TS loader).
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

const TYPESCRIPT = /\.[cm]?ts$/;

/** Loads tsx only when a TypeScript configuration is read. */
async function importTypeScript(url: string): Promise<unknown> {
  const { tsImport } = await import("tsx/esm/api");
  return tsImport(url, import.meta.url);
}

/**
 * A `.ts` file outside an ESM package is compiled as CommonJS: its `export default` then arrives as
 * `{ default }` on an `__esModule` object.
 */
function unwrapCommonJs(value: unknown): unknown {
  if (typeof value === "object" && value !== null && (value as { __esModule?: unknown }).__esModule === true)
    return (value as { default?: unknown }).default;
  return value;
}

async function importDefault(path: string): Promise<unknown> {
  try {
    const url = pathToFileURL(path).href;
    const module = (TYPESCRIPT.test(path) ? await importTypeScript(url) : await import(url)) as {
      default?: unknown;
    };
    return unwrapCommonJs(module.default);
  } catch (error) {
    throw new ConfigLoadError(path, error);
  }
}
