import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites start real registries and dynalite; two cores do not like a crowd.
    maxWorkers: 2,
    // The lock file pins SDK releases that still support Node 20 (DEVELOPERS.md); the notice is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
