import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import example from "../../portcullis.config.ts";
import { main } from "../../src/cli/main.ts";
import { SCENARIOS } from "../../src/local/scenario/loadScenario.ts";
import { captureIo } from "../support/captureIo.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** The policy a shipped scenario names, else its own policy.yaml, else the configuration's policy file. */
async function policyOf(folder: string, scenario: { policy?: string }): Promise<string> {
  if (scenario.policy) return join(folder, scenario.policy);
  const own = join(folder, "policy.yaml");
  return access(own).then(
    () => own,
    () => join(ROOT, example.policyFile ?? "portcullis.policy.yaml"),
  );
}

/** README: the shipped findings are DescribeImageScanFindings responses `portcullis gate` evaluates as is. */
describe("portcullis gate on every shipped example in examples/findings", () => {
  it.each(SCENARIOS)("%s: exits as the scenario expects (0 promoted, 1 rejected)", async (name) => {
    const folder = join(ROOT, "examples/findings", name);
    const scenario = JSON.parse(await readFile(join(folder, "scenario.json"), "utf8")) as {
      expect: "promoted" | "rejected";
      policy?: string;
    };
    const io = captureIo();
    const code = await main(
      [
        "gate",
        "--policy",
        await policyOf(folder, scenario),
        "--findings",
        `linux/amd64=${join(folder, "linux-amd64.json")}`,
        "--findings",
        `linux/arm64=${join(folder, "linux-arm64.json")}`,
      ],
      io,
    );
    expect(io.err()).toBe("");
    expect(code).toBe(scenario.expect === "promoted" ? 0 : 1);
    expect(io.out()).toContain(scenario.expect === "promoted" ? "Result: PASS" : "Result: FAIL");
  });
});

/** The `npx portcullis gate …` commands the README gives on the shipped examples, as written there. */
async function readmeGateCommands(): Promise<string[][]> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  return [...readme.matchAll(/`npx portcullis (gate --policy examples\/[^`]+)`/g)].map((match) =>
    (match[1] ?? "").split(/\s+/),
  );
}

describe("the README's portcullis gate command on the shipped examples", () => {
  it("runs as written from the repository root, and exits 1 with the rejection on the fail example", async () => {
    const commands = await readmeGateCommands();
    expect(commands.length).toBeGreaterThan(0);
    for (const argv of commands) {
      const io = captureIo({ cwd: ROOT });
      const code = await main(argv, io);
      expect(io.err(), argv.join(" ")).toBe("");
      const folder = /examples\/findings\/([\w-]+)\//.exec(argv.join(" "))?.[1] ?? "";
      const scenario = JSON.parse(
        await readFile(join(ROOT, "examples/findings", folder, "scenario.json"), "utf8"),
      ) as { expect: "promoted" | "rejected" };
      expect(code, argv.join(" ")).toBe(scenario.expect === "promoted" ? 0 : 1);
    }
  });
});
