// `npm run deploy [-- --stage NAME --config FILE]` / `npm run remove [-- --stage NAME]`: every region in one
// command (SST v2 deploys one region per run): the primary first, then each replica (remove: the reverse). Stops
// at the first failed run, naming the region and its stacks (SST prints the CloudFormation reason above). After a
// deploy, writes every region's outputs to .sst/portcullis-outputs.json (what the operator commands read) and
// prints the ones the release workflow needs. Exits 2 on bad input, 1 on a failed run.
import { spawnSync } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { DEFAULT_OUTPUTS_FILE } from "../src/cli/operator/deployedOutputs.ts";
import {
  checkStage,
  type DeployAction,
  deployPlan,
  mergeOutputs,
  WORKFLOW_OUTPUTS,
} from "../src/config/deployPlan.ts";
import { loadConfig } from "../src/config/loadConfig.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { stage: { type: "string" }, config: { type: "string", default: "portcullis.config.ts" } },
});
const action = positionals[0] as DeployAction;
if (action !== "deploy" && action !== "remove")
  fail(2, `expected deploy or remove, got ${JSON.stringify(action)}`);
const stage = values.stage ?? process.env.SST_STAGE;
if (stage === undefined) fail(2, "--stage is required (e.g. npm run deploy -- --stage prod)");
const bad = checkStage(stage);
if (bad) fail(2, bad);
const config = await loadConfig(values.config).catch((error: unknown) =>
  fail(2, error instanceof Error ? error.message : String(error)),
);

let merged: Record<string, Record<string, string>> = {};
for (const step of deployPlan(config, action, stage)) {
  console.log(`\n== ${action} ${step.role} region ${step.region}: ${step.stacks.join(", ")}`);
  await rm(".sst/outputs.json", { force: true });
  const run = spawnSync("npx", [...step.argv], { stdio: "inherit" });
  if (run.status !== 0)
    fail(
      1,
      `${action} stopped at ${step.region} (stacks ${step.stacks.join(", ")}): sst exited ${run.status ?? run.signal}; the reason is above`,
    );
  if (action === "deploy")
    merged = mergeOutputs(
      merged,
      step.region,
      JSON.parse(await readFile(".sst/outputs.json", "utf8").catch(() => "{}")),
    );
}
if (action === "deploy") {
  await mkdir(".sst", { recursive: true });
  await writeFile(DEFAULT_OUTPUTS_FILE, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(
    `\nOutputs of every region: ${DEFAULT_OUTPUTS_FILE}\nFor the release workflow's env (region ${config.primaryRegion}):`,
  );
  for (const outputs of Object.values(merged))
    for (const [name, value] of Object.entries(outputs))
      if (WORKFLOW_OUTPUTS.test(name)) console.log(`  ${name}=${value}`);
}

function fail(code: number, message: string): never {
  console.error(`portcullis ${action ?? "deploy"}: ${message}`);
  process.exit(code);
}
