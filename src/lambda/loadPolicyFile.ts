import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { InvalidPolicyError, type Policy, parsePolicy } from "../policy/index.ts";
import { SettingsError } from "./errors.ts";

/**
 * Reads and validates the gate policy bundled with the function, at init: a relative path is resolved against
 * the function's code directory (LAMBDA_TASK_ROOT). A missing file is a {@link SettingsError} naming
 * PORTCULLIS_POLICY_FILE; an invalid policy an InvalidPolicyError listing each issue with its line.
 * @example const policy = loadPolicyFile(settings.policyFile);
 */
export function loadPolicyFile(path: string, root = process.env.LAMBDA_TASK_ROOT ?? process.cwd()): Policy {
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
  const policy = parsePolicy(text, path);
  if (!policy.ok) throw new InvalidPolicyError(policy.error, path);
  return policy.value;
}
