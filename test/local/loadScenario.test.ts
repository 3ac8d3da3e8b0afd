import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/local/errors.ts";
import { loadScenario, SCENARIOS } from "../../src/local/scenario/loadScenario.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const examplesDir = join(ROOT, "examples/findings");
const defaultPolicyFile = join(ROOT, "examples/policies/portcullis.policy.yaml");
const platforms = ["linux/amd64", "linux/arm64"];

describe("loadScenario", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-scenario-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(SCENARIOS)("loads the shipped scenario %s with its expectation and policy", async (name) => {
    const scenario = await loadScenario({ name, examplesDir, defaultPolicyFile, platforms });
    expect(scenario.name).toBe(name);
    const promoted = [
      "pass",
      "allowlisted",
      "unsupported",
      "demote-grace",
      "rescan-expired",
      "rollback",
      "demote",
      "provenance",
    ];
    expect(scenario.expect).toBe(promoted.includes(name) ? "promoted" : "rejected");
    expect(scenario.operate).toBe(name === "rollback" || name === "demote" ? name : undefined);
    expect(scenario.description).toBeTruthy();
    expect(scenario.policy.version).toBe(1);
  });

  it("reads when findings-lag's late findings arrive, and checks its late file", async () => {
    const scenario = await loadScenario({ name: "findings-lag", examplesDir, defaultPolicyFile, platforms });
    expect(scenario.lateAfterMinutes).toBe(10);
    const folder = await mkdtemp(join(dir, "late-"));
    await cp(join(examplesDir, "findings-lag"), folder, { recursive: true });
    await writeFile(
      join(folder, "scenario.json"),
      JSON.stringify({ policy: defaultPolicyFile, lateAfterMinutes: 10 }),
    );
    await writeFile(join(folder, "linux-amd64.late.json"), "{}");
    await expect(loadScenario({ folder, examplesDir, defaultPolicyFile, platforms })).rejects.toThrow(
      /linux-amd64\.late\.json: /,
    );
  });

  it("uses the scenario's own policy.yaml when scenario.json names none", async () => {
    const scenario = await loadScenario({ name: "allowlisted", examplesDir, defaultPolicyFile, platforms });
    expect(scenario.policyFile).toBe(join(examplesDir, "allowlisted/policy.yaml"));
    expect(scenario.policy.allowlist.map((entry) => [entry.id, entry.expires])).toEqual([
      ["CVE-2024-6387", "2099-12-31"],
    ]);
  });

  it("falls back to the default policy for a folder with findings only", async () => {
    const folder = join(dir, "bare");
    await import("node:fs/promises").then((fs) =>
      fs.cp(join(examplesDir, "pass"), folder, { recursive: true }),
    );
    await rm(join(folder, "scenario.json"));
    const scenario = await loadScenario({ folder, examplesDir, defaultPolicyFile, platforms });
    expect(scenario).toMatchObject({ name: "bare", policyFile: defaultPolicyFile });
    expect(scenario.expect).toBeUndefined();
  });

  it("refuses an unknown scenario name, listing the known ones", async () => {
    await expect(loadScenario({ name: "nope", examplesDir, defaultPolicyFile, platforms })).rejects.toThrow(
      /unknown scenario "nope": use one of pass, fail, allowlisted, expired-allowlist, scan-failed/,
    );
  });

  it("lists every problem of a folder at once: scenario.json field, policy line, findings field, missing platform", async () => {
    const folder = join(dir, "broken");
    await import("node:fs/promises").then((fs) => fs.mkdir(folder, { recursive: true }));
    await writeFile(join(folder, "scenario.json"), JSON.stringify({ expect: "maybe" }));
    await writeFile(join(folder, "policy.yaml"), "version: 1\nthresholds:\n  fixable: { CRTICAL: 0 }\n");
    await writeFile(
      join(folder, "linux-amd64.json"),
      JSON.stringify({ imageScanStatus: { status: "COMPLETE" } }),
    );
    const error = (await loadScenario({ folder, examplesDir, defaultPolicyFile, platforms }).catch(
      (e) => e,
    )) as ScenarioError;
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.problems).toEqual([
      expect.stringMatching(/^scenario\.json: expect: "maybe" /),
      expect.stringMatching(/policy\.yaml:3:\d+: thresholds\.fixable\.CRTICAL/),
      expect.stringMatching(
        /^linux-amd64\.json: imageScanFindings: .*is required when the scan status is COMPLETE/,
      ),
      expect.stringMatching(/^linux-arm64\.json: missing/),
    ]);
  });
});
