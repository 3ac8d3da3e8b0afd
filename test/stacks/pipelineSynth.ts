import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "sst/constructs";
import { useProject } from "sst/project.js";
import example from "../../portcullis.config.ts";
import type { PortcullisConfig, PortcullisConfigInput } from "../../src/config/PortcullisConfig.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import { formatIssues } from "../../src/core/formatIssue.ts";
import { registerStacks } from "../../stacks/registerStacks.ts";
import { initSstProject } from "./sstProject.ts";
import type { CfnProps, CfnTemplate } from "./synthPortcullis.ts";

/** A synthesized primary region kept on disk (the function bundles are read by the tests), removed by `remove`. */
export interface PipelineSynth {
  readonly config: PortcullisConfig;
  readonly pipeline: CfnTemplate;
  readonly state: CfnTemplate;
  /** Every stack's cdk-nag and CDK messages. */
  readonly messages: readonly { stack: string; level: string; text: string }[];
  /** The staged bundle (code asset folder) of a Lambda function, by logical id. */
  bundleOf(logicalId: string): string;
  remove(): Promise<void>;
}

/** The example configuration (portcullis.config.ts) with overrides, validated. */
export function exampleConfig(overrides: Partial<PortcullisConfigInput> = {}): PortcullisConfig {
  const parsed = parseConfig({ ...example, ...overrides });
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

/**
 * Synthesizes the primary region offline (DEVELOPERS.md's SST v2 recipe) and keeps the cloud assembly, so a
 * test can run what SST bundled. Functions are bundled inside the assembly folder, never in the shared
 * `.sst/artifacts`.
 */
export async function synthPipeline(config: PortcullisConfig): Promise<PipelineSynth> {
  await initSstProject();
  const outdir = await mkdtemp(join(tmpdir(), "portcullis-pipeline-"));
  const remove = () => rm(outdir, { recursive: true, force: true });
  try {
    useProject().paths.artifacts = join(outdir, "artifacts");
    const app = new App(
      { mode: "deploy", stage: "test", name: "portcullis", region: config.primaryRegion },
      { outdir },
    );
    registerStacks(app, config);
    await app.finish();
    const assembly = app.synth();
    const templates = new Map<string, CfnTemplate>();
    const messages: { stack: string; level: string; text: string }[] = [];
    for (const stack of assembly.stacks) {
      const name = stack.stackName.replace(/^test-portcullis-/, "");
      templates.set(name, stack.template as CfnTemplate);
      for (const message of stack.messages)
        messages.push({ stack: name, level: message.level, text: String(message.entry.data) });
    }
    const pipeline = templates.get("Pipeline");
    const state = templates.get("State");
    if (pipeline === undefined || state === undefined)
      throw new Error("no Pipeline or State stack synthesized");
    return {
      config,
      pipeline,
      state,
      messages,
      bundleOf(logicalId) {
        const code = (pipeline.Resources[logicalId]?.Properties as CfnProps | undefined)?.Code;
        const key = String(code?.S3Key ?? "");
        if (!key.endsWith(".zip")) throw new Error(`${logicalId} has no staged code asset`);
        return join(outdir, `asset.${key.slice(0, -".zip".length)}`);
      },
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
