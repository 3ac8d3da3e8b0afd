import type { PortcullisConfigInput } from "./PortcullisConfig.ts";

/**
 * Types a `portcullis.config.ts` default export; validation happens when it is loaded (`loadConfig`,
 * `parseConfig`), so a mistake fails `sst deploy`/`npm run synth` with the field and value named.
 * @example
 * export default defineConfig({
 *   primaryRegion: "eu-west-1",
 *   repositories: [{ name: "shop/web" }],
 *   github: { owner: "octo-org", repo: "shop", branches: ["main"] },
 * });
 */
export function defineConfig(config: PortcullisConfigInput): PortcullisConfigInput {
  return config;
}
