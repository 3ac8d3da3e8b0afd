import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "sst/constructs";
import type { PortcullisConfig } from "../../src/config/index.ts";
import { registerStacks } from "../../stacks/registerStacks.ts";
import { initSstProject } from "../stacks/sstProject.ts";
import type { CfnTemplate } from "../stacks/synthPortcullis.ts";

/**
 * The primary region's templates by stack name (`State`, `Registry`, `Build`, `Pipeline`), synthesized without
 * bundling the functions: SST's dev mode under NODE_ENV=test (its own test mode) gives each function a stub
 * and adds no permissions of its own, so roles and resource policies are exactly the deploy mode's in a few
 * seconds instead of a minute.
 */
export async function synthTemplates(config: PortcullisConfig): Promise<Map<string, CfnTemplate>> {
  await initSstProject();
  const outdir = await mkdtemp(join(tmpdir(), "portcullis-iam-"));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "test";
  try {
    const app = new App(
      { mode: "dev", stage: "test", name: "portcullis", region: config.primaryRegion },
      { outdir },
    );
    registerStacks(app, config);
    await app.finish();
    const templates = new Map<string, CfnTemplate>();
    for (const stack of app.synth().stacks)
      templates.set(stack.stackName.replace(/^test-portcullis-/, ""), stack.template as CfnTemplate);
    return templates;
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    await rm(outdir, { recursive: true, force: true });
  }
}
