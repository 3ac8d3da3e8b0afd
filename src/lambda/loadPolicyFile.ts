import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parseWithSchema } from "../core/parseWithSchema.ts";
import { InvalidPolicyError } from "../policy/errors.ts";
import type { Policy } from "../policy/Policy.ts";
import { policySchema } from "../policy/policySchema.ts";
import { SettingsError } from "./errors.ts";

/**
 * Reads and validates the gate policy bundled with the function, at init: a relative path is resolved against
 * the function's code directory (LAMBDA_TASK_ROOT). A `.json` policy (what the stacks bundle: the YAML file
 * parsed and validated at synth, then serialized) is validated without loading the YAML parser; any other file
 * is read as the YAML users write, loading the parser only then. A missing file is a {@link SettingsError}
 * naming PORTCULLIS_POLICY_FILE; an invalid policy an InvalidPolicyError listing each issue (with its line, for
 * YAML).
 * @example const policy = await loadPolicyFile(settings.policyFile);
 */
export async function loadPolicyFile(
  path: string,
  root = process.env.LAMBDA_TASK_ROOT ?? process.cwd(),
): Promise<Policy> {
  const file = isAbsolute(path) ? path : resolve(root, path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new SettingsError([
      {
        field: "PORTCULLIS_POLICY_FILE",
        value: path,
        message: `cannot be read at ${file} (${code}): bundle it with the function`,
      },
    ]);
  }
  if (file.endsWith(".json")) return fromJson(text, path);
  const { parsePolicy } = await import("../policy/parsePolicy.ts");
  const policy = parsePolicy(text, path);
  if (!policy.ok) throw new InvalidPolicyError(policy.error, path);
  return policy.value;
}

function fromJson(text: string, path: string): Policy {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InvalidPolicyError(
      [{ field: "", value: path, message: "is not valid JSON", source: path }],
      path,
    );
  }
  const policy = parseWithSchema(policySchema, data);
  if (!policy.ok)
    throw new InvalidPolicyError(
      policy.error.map((issue) => ({ ...issue, source: path })),
      path,
    );
  return policy.value as Policy;
}
