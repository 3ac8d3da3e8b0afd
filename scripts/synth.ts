// `npm run synth [-- --stage NAME] [-- --out DIR]`: synthesizes every Portcullis stack for the primary and
// every replica region, offline, and writes the CloudFormation templates to DIR/<region>/<stack>.template.json
// for review. Fails (exit 1) on an invalid configuration or an unsuppressed cdk-nag error.
process.env.NODE_ENV = "test"; // SST skips its AWS bootstrap lookup in test mode: nothing leaves this machine.

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { App } from "sst/constructs";
import { initProject } from "sst/project.js";
import portcullis from "../portcullis.config.ts";
import { InvalidConfigError } from "../src/config/errors.ts";
import { parseConfig } from "../src/config/parseConfig.ts";
import { registerStacks } from "../stacks/registerStacks.ts";

const { values } = parseArgs({
  options: {
    stage: { type: "string", default: "synth" },
    out: { type: "string", default: "cdk.out/templates" },
  },
});
const parsed = parseConfig(portcullis);
if (!parsed.ok) throw new InvalidConfigError("portcullis.config.ts", parsed.error);
const config = parsed.value;
const out = resolve(values.out);

await initProject({ stage: values.stage });
await rm(out, { recursive: true, force: true });
let errors = 0;
for (const region of [config.primaryRegion, ...config.replicaRegions]) {
  const assemblyDir = await mkdtemp(join(tmpdir(), "portcullis-synth-"));
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
