import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/lambda/loadPolicyFile.ts";
import { InvalidPolicyError, parsePolicy } from "../../src/policy/index.ts";
import { TASK_ROOT } from "../functions/functionEnvironment.ts";

const YAML = "test/fixtures/policies/payments.yaml";
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portcullis-policy-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("loadPolicyFile", () => {
  it("reads the YAML policy relative to the function's code directory", async () => {
    const policy = await loadPolicyFile(YAML, TASK_ROOT);
    expect(policy.allowlist.map((entry) => entry.id)).toEqual(["CVE-2023-38545", "CVE-2023-4911"]);
  });

  it("reads the JSON the stacks bundle into the very same policy", async () => {
    const { readFile } = await import("node:fs/promises");
    const parsed = parsePolicy(await readFile(join(TASK_ROOT, YAML), "utf8"));
    if (!parsed.ok) throw new Error("fixture invalid");
    await writeFile(join(dir, "policy.json"), JSON.stringify(parsed.value));
    expect(await loadPolicyFile("policy.json", dir)).toEqual(parsed.value);
  });

  it.each([
    ["not JSON", "{thresholds", "(root)"],
    [
      "an unknown field",
      JSON.stringify({ version: 1, thresholds: { fixable: { HIGH: 0 } }, owner: "x" }),
      "owner",
    ],
  ])("refuses a JSON policy that is %s, naming the file and field", async (_title, text, field) => {
    await writeFile(join(dir, "bad.json"), text);
    const error = await loadPolicyFile("bad.json", dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPolicyError);
    expect((error as Error).message).toMatch(
      new RegExp(`^invalid policy bad\\.json:\\n.*${field.replace(/[()]/g, "\\$&")}`),
    );
  });

  it("names PORTCULLIS_POLICY_FILE when the file is not bundled", async () => {
    await expect(loadPolicyFile("nowhere.yaml", dir)).rejects.toThrow(
      /PORTCULLIS_POLICY_FILE: "nowhere.yaml" cannot be read at .*ENOENT/,
    );
  });
});
