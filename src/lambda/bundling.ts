import type { BuildOptions, Plugin } from "esbuild";

/**
 * zod's classic API re-exports every locale as `z.locales` (one namespace object, so a bundler keeps all ~40 of
 * them, about 250 KB). Portcullis formats its own messages and never switches locale: the namespace becomes
 * empty; English, which zod configures itself, stays.
 */
export const zodLocalesPlugin: Plugin = {
  name: "portcullis-zod-locales",
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: "zod-locales", namespace: "portcullis-empty" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "portcullis-empty" }, () => ({
      contents: "export {};",
      loader: "js",
    }));
  },
};

/**
 * `yaml` declares no `sideEffects`, so a bundler keeps it whenever a module that imports it is reachable — and
 * the policy's barrel reaches its YAML parser from everywhere. It has none at import: marked so, it stays only
 * where the YAML parser is really called (the policy loader's lazy YAML path), out of every init.
 */
export const pureYamlPlugin: Plugin = {
  name: "portcullis-pure-yaml",
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, async (args) => {
      if (args.pluginData === "portcullis-pure-yaml") return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "portcullis-pure-yaml",
      });
      return resolved.errors.length > 0 ? undefined : { ...resolved, sideEffects: false };
    });
  },
};

/**
 * The AWS SDK's core barrel carries the browser user-agent provider, whose `import("bowser")` makes a ~34 KB
 * chunk in every function. Node clients use the node user-agent provider, so that chunk is never loaded in
 * Lambda: it is left out, replaced by a parser that finds nothing (what the provider falls back to without
 * a `window`).
 */
export const noBowserPlugin: Plugin = {
  name: "portcullis-no-bowser",
  setup(build) {
    build.onResolve({ filter: /^bowser$/ }, () => ({ path: "bowser", namespace: "portcullis-no-bowser" }));
    build.onLoad({ filter: /.*/, namespace: "portcullis-no-bowser" }, () => ({
      contents: "export function parse() { return {}; } export default { parse };",
      loader: "js",
    }));
  },
};

/** ESM output still meets CommonJS inside some dependencies: give each chunk a `require`. */
const REQUIRE_BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/**
 * How every function in functions/ is bundled (bench:lambda measures exactly this; the stacks should pass the same
 * to SST's `nodejs` props): minified, tree-shaken ESM for node22 with the AWS SDK bundled, preferring packages'
 * ESM builds, and split so that code reached only through dynamic imports — the SDK's SSO/INI/process credential
 * providers, never used in Lambda where credentials come from the environment — stays in chunks that are never
 * loaded. Write to an `outdir` (splitting needs one) and name the entry `index`.
 * @example await build({ ...lambdaEsbuildOptions, entryPoints: { index: "functions/gate.ts" }, outdir: "dist/gate" })
 */
export const lambdaEsbuildOptions = {
  bundle: true,
  minify: true,
  treeShaking: true,
  splitting: true,
  platform: "node",
  target: "node22",
  format: "esm",
  mainFields: ["module", "main"],
  outExtension: { ".js": ".mjs" },
  banner: { js: REQUIRE_BANNER },
  legalComments: "none",
  plugins: [zodLocalesPlugin, pureYamlPlugin, noBowserPlugin],
} as const satisfies BuildOptions;
