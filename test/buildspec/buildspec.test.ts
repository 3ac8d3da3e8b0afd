import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;

interface Buildspec {
  version: number;
  batch: {
    "fast-fail": boolean;
    "build-graph": { identifier: string; "depend-on"?: string[]; env: Record<string, unknown> }[];
  };
  env: { shell: string; "exported-variables": string[] };
  phases: Record<string, { commands: string[] }>;
}

async function buildspec(): Promise<Buildspec> {
  return parse(await readFile(join(ROOT, "buildspec/buildspec.yml"), "utf8")) as Buildspec;
}

/** Runs shellcheck and returns its findings (empty when clean). */
async function shellcheck(args: string[], input?: string): Promise<string> {
  const child = run("shellcheck", ["--format=gcc", ...args], { cwd: ROOT });
  if (input !== undefined) child.child.stdin?.end(input);
  return child.then(
    () => "",
    (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
  );
}

describe("buildspec", () => {
  it("keeps build.sh shellcheck-clean", async () => {
    expect(await shellcheck(["--shell=bash", "buildspec/build.sh"])).toBe("");
  });

  it("keeps the buildspec's own commands shellcheck-clean", async () => {
    const spec = await buildspec();
    const script = Object.values(spec.phases)
      .flatMap((phase) => phase.commands)
      .join("\n");
    // SC2034/SC2154: CodeBuild sets the inputs and exports the outputs, which shellcheck cannot see.
    const findings = await shellcheck(
      ["--shell=bash", "--exclude=SC2034,SC2154", "-"],
      `#!/usr/bin/env bash\n${script}\n`,
    );
    expect(findings).toBe("");
  });

  it("builds each platform natively and the index after both, privileged only where buildx runs BuildKit", async () => {
    const graph = (await buildspec()).batch["build-graph"];
    const byId = Object.fromEntries(graph.map((job) => [job.identifier, job]));
    expect(byId.amd64?.env).toMatchObject({
      type: "LINUX_CONTAINER",
      "privileged-mode": true,
      variables: { PORTCULLIS_PLATFORM: "linux/amd64" },
    });
    expect(byId.arm64?.env).toMatchObject({
      type: "ARM_CONTAINER",
      "privileged-mode": true,
      variables: { PORTCULLIS_PLATFORM: "linux/arm64" },
    });
    expect(byId.index?.env).toMatchObject({
      "privileged-mode": false,
      variables: { PORTCULLIS_STEP: "index" },
    });
    expect(byId.index?.["depend-on"]).toEqual(["amd64", "arm64"]);
  });

  it("exports the platform image references and the index digest", async () => {
    const spec = await buildspec();
    expect(spec.env["exported-variables"]).toEqual(["PORTCULLIS_PLATFORM_IMAGE", "PORTCULLIS_INDEX_DIGEST"]);
    expect(spec.batch["fast-fail"]).toBe(true);
  });
});
