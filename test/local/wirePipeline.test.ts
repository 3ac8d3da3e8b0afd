import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.ts";
import { packageRoot } from "../../src/core/packageRoot.ts";
import { rulePatterns } from "../../src/events/index.ts";
import { localEventBusDefaults } from "../../src/local/bus/LocalEventBus.ts";
import { wirePipeline } from "../../src/local/pipeline/wirePipeline.ts";

const PACKAGE_ROOT = packageRoot(import.meta.url);

import { loadScenario } from "../../src/local/scenario/loadScenario.ts";
import { pipelineDefaults } from "../../stacks/pipelineDefaults.ts";
import { RULE_SUBSCRIPTIONS } from "../../stacks/pipelineRules.ts";

describe("wirePipeline", () => {
  it("subscribes the handlers to exactly the rules, patterns and schedule the Pipeline stack deploys", async () => {
    const config = await loadConfig("portcullis.config.ts", { cwd: PACKAGE_ROOT });
    const repository = "team/app";
    const scenario = await loadScenario({
      name: "pass",
      examplesDir: `${PACKAGE_ROOT}/examples/findings`,
      defaultPolicyFile: `${PACKAGE_ROOT}/examples/policies/portcullis.policy.yaml`,
      platforms: ["linux/amd64", "linux/arm64"],
    });
    const client = new DynamoDBClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9" });
    const wired = wirePipeline({
      config,
      repository,
      scenario,
      hosts: { [config.primaryRegion]: "127.0.0.1:9" },
      dynamo: { client, tableName: "unused" },
      account: "000000000000",
      logFile: "/dev/null",
      reportsDir: "/tmp/portcullis-unused",
    });
    try {
      const patterns = rulePatterns({ repositories: [repository] });
      const deployed = RULE_SUBSCRIPTIONS.map(({ pattern, target }) => ({
        name: target,
        pattern: patterns[pattern],
      }));
      const sorted = (rules: readonly { name: string; pattern: unknown }[]) =>
        [...rules].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(sorted(wired.pipeline.parts.bus.rules)).toEqual(sorted(deployed));
      expect(wired.pipeline.parts.scheduler.everyMinutes).toBe(pipelineDefaults.reconcileEvery.toMinutes());
      // Lambda's asynchronous invocation: the first run and two retries, then the dead-letter queue.
      expect(localEventBusDefaults.maxAttempts).toBe(3);
    } finally {
      wired.close();
      client.destroy();
    }
  });
});
