import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { App } from "sst/constructs";
import { useProject } from "sst/project.js";
import type { PortcullisConfig } from "../../src/config/PortcullisConfig.ts";
import { registerStacks } from "../../stacks/registerStacks.ts";
import { initSstProject } from "./sstProject.ts";

/** One synthesized Portcullis app: templates by stack (State, Registry, Build) and cdk-nag's messages. */
export interface SynthesizedApp {
  readonly templates: ReadonlyMap<string, Template>;
  readonly json: ReadonlyMap<string, CfnTemplate>;
  readonly messages: readonly { stack: string; level: string; id: string; text: string }[];
}

/** CloudFormation properties, read ad hoc by assertions that know the resource type. */
// biome-ignore lint/suspicious/noExplicitAny: each test reaches into the properties of one resource type.
export type CfnProps = Record<string, any>;

/** The parts of a CloudFormation template the tests read. */
export interface CfnTemplate {
  readonly Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
  readonly Outputs?: Record<string, unknown>;
}

/**
 * Synthesizes the app for a region offline (DEVELOPERS.md's SST v2 recipe), once: app.synth() gives
 * templates and annotations together, so nothing is synthesized twice.
 */
export async function synthPortcullis(
  config: PortcullisConfig,
  region = config.primaryRegion,
): Promise<SynthesizedApp> {
  await initSstProject();
  const outdir = await mkdtemp(join(tmpdir(), "portcullis-cdk-"));
  // Functions are bundled into this synth's own folder: SST's default (.sst/artifacts/<construct id>) is shared
  // by test files synthesizing at the same time, with the same ids.
  useProject().paths.artifacts = join(outdir, "artifacts");
  try {
    const app = new App({ mode: "deploy", stage: "test", name: "portcullis", region }, { outdir });
    registerStacks(app, config);
    await app.finish();
    const assembly = app.synth();
    const templates = new Map<string, Template>();
    const json = new Map<string, CfnTemplate>();
    const messages: SynthesizedApp["messages"][number][] = [];
    for (const stack of assembly.stacks) {
      const name = stack.stackName.replace(/^test-portcullis-/, "");
      json.set(name, stack.template as CfnTemplate);
      templates.set(name, Template.fromJSON(stack.template));
      for (const message of stack.messages)
        messages.push({
          stack: name,
          level: message.level,
          id: message.id,
          text: String(message.entry.data),
        });
    }
    return { templates, json, messages };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
