import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ValidationError } from "../src/core/ValidationError.ts";
import { InvalidPolicyError } from "../src/policy/errors.ts";
import { parsePolicy } from "../src/policy/parsePolicy.ts";

/** Where the policy sits in each function's bundle (PORTCULLIS_POLICY_FILE, relative to LAMBDA_TASK_ROOT). */
export const BUNDLED_POLICY = "policy.json";

/** The gate policy ready for bundling: SST `copyFiles` entries and the path the function reads. */
export interface BundledPolicy {
  readonly copyFiles: { readonly from: string; readonly to: string }[];
  readonly path: typeof BUNDLED_POLICY;
}

/**
 * Validates the configured policy at synth and stages it for the functions: an unreadable or invalid policy
 * stops synth with every issue named (fail closed: nothing deploys without the policy the user wrote). The
 * policy is bundled as JSON, so the functions validate it at init without loading a YAML parser
 * (src/lambda/loadPolicyFile). SST copies files from paths relative to the project root, so the JSON is
 * written under `.sst/portcullis/`, named by its content: concurrent synths write the same bytes to the same
 * name, atomically.
 * @example const policy = bundledPolicy(useProject().paths.root, config.policyFile); // { copyFiles, path: "policy.json" }
 */
export function bundledPolicy(root: string, policyFile: string): BundledPolicy {
  const file = resolve(root, policyFile);
  const parsed = parsePolicy(readPolicy(file, policyFile), policyFile);
  if (!parsed.ok) throw new InvalidPolicyError(parsed.error, policyFile);
  const json = `${JSON.stringify(parsed.value, null, 2)}\n`;
  const hash = createHash("sha256").update(json).digest("hex").slice(0, 16);
  const dir = join(root, ".sst", "portcullis");
  const staged = join(dir, `policy-${hash}.json`);
  mkdirSync(dir, { recursive: true });
  const temporary = `${staged}.${process.pid}.tmp`;
  writeFileSync(temporary, json);
  renameSync(temporary, staged);
  return { copyFiles: [{ from: relative(root, staged), to: BUNDLED_POLICY }], path: BUNDLED_POLICY };
}

function readPolicy(file: string, policyFile: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new ValidationError("configuration", [
      {
        field: "policyFile",
        value: policyFile,
        message: `cannot be read at ${file} (${code}): write the gate policy there (examples/policies/ has a start)`,
      },
    ]);
  }
}
