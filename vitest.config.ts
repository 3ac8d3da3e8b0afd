import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites start real registries and dynalite; two cores do not like a crowd.
    maxWorkers: 2,
  },
});
