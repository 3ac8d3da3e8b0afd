// `npm run synth [-- --stage NAME --out DIR --config FILE]`: synthesizes every Portcullis stack for the primary and
// every replica region, offline, and writes the CloudFormation templates to DIR/<region>/<stack>.template.json
// for review. Exits 2 on an invalid configuration, 1 on an unsuppressed cdk-nag error.
process.env.NODE_ENV = "test"; // SST skips its AWS bootstrap lookup in test mode: nothing leaves this machine.

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { App } from "sst/constructs";
import { initProject, useProject } from "sst/project.js";
import { loadConfig } from "../src/config/loadConfig.ts";
import { registerStacks } from "../stacks/registerStacks.ts";

const { values } = parseArgs({
  options: {
    stage: { type: "string", default: "synth" },
    out: { type: "string", default: "cdk.out/templates" },
    config: { type: "string", default: "portcullis.config.ts" },
  },
});
// An invalid configuration stops here, every bad field and value named (exit 2, like the CLI).
const config = await loadConfig(values.config).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
const out = resolve(values.out);

await initProject({ stage: values.stage });
await rm(out, { recursive: true, force: true });
let errors = 0;
for (const region of [config.primaryRegion, ...config.replicaRegions]) {
  const assemblyDir = await mkdtemp(join(tmpdir(), "portcullis-synth-"));
  useProject().paths.artifacts = join(assemblyDir, "artifacts"); // function bundles, removed with the assembly
  const app = new App(
    { mode: "deploy", stage: values.stage, name: "portcullis", region },
    { outdir: assemblyDir },
  );
  registerStacks(app, config);
  await app.finish();
  errors += await writeTemplates(app.synth(), join(out, region));
  await rm(assemblyDir, { recursive: true, force: true });
}
if (errors > 0) {
  console.error(`${errors} cdk-nag error(s): fix or suppress them with a reason`);
  process.exitCode = 1;
}

async function writeTemplates(assembly: CloudAssembly, dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  let found = 0;
  for (const stack of assembly.stacks) {
    const file = join(dir, `${stack.stackName}.template.json`);
    await writeFile(file, `${JSON.stringify(stack.template, null, 2)}\n`);
    const stackErrors = stack.messages.filter((message) => message.level === "error");
    for (const message of stackErrors) console.error(`${message.id}: ${String(message.entry.data)}`);
    found += stackErrors.length;
    console.log(
      `${file}: ${Object.keys(stack.template.Resources ?? {}).length} resources, ${stackErrors.length} errors`,
    );
  }
  return found;
}
