import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { Verdict } from "../../src/policy/index.ts";
import { captureIo } from "../support/captureIo.ts";

const POLICY = "test/fixtures/policies/payments.yaml";
const AMD = "linux/amd64=test/fixtures/findings/payments-api.amd64.basic.json";
const ARM = "linux/arm64=test/fixtures/findings/payments-api.arm64.enhanced.pages.json";
const BEFORE_EXPIRY = "2026-06-01T00:00:00Z";
const AFTER_EXPIRY = "2027-04-01T00:00:00Z";

async function gate(...args: string[]) {
  const io = captureIo();
  const code = await main(["gate", ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe("portcullis gate: verdicts", () => {
  it("passes with allowlisted findings and exits 0", async () => {
    const { code, out, err } = await gate(
      "--policy",
      POLICY,
      "--findings",
      AMD,
      "--findings",
      ARM,
      "--now",
      BEFORE_EXPIRY,
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("Portcullis gate: payments/api");
    expect(out).toMatch(/linux\/amd64 {2}sha256:618eb063\S+ {2}COMPLETE {2}PASS/);
    expect(out).toMatch(/linux\/arm64 {2}sha256:78c54fa1\S+ {2}ACTIVE {2}PASS/);
    expect(out).toContain("until 2027-03-31 (allowlist[1], team-payments@example.com");
    expect(out).toMatch(/Result: PASS\n$/);
  });

  it("fails once an allowlist entry has expired, showing the blocking finding with its fix and link, and exits 1", async () => {
    const { code, out } = await gate(
      "--policy",
      POLICY,
      "--findings",
      AMD,
      "--findings",
      ARM,
      "--now",
      AFTER_EXPIRY,
    );
    expect(code).toBe(1);
    expect(out).toContain("Allowlist entry expired (counted again):");
    expect(out).toContain(
      "HIGH      CVE-2023-4911  libc6 2.36-9  fix: 2.36-9+deb12u3  [fixable HIGH: 1 > limit 0]  https://security-tracker.debian.org/tracker/CVE-2023-4911",
    );
    expect(out).toContain("allowlist[1] CVE-2023-4911: expired 2027-03-31 and no longer applies");
    expect(out).toContain("Result: FAIL\n  - linux/amd64: 1 fixable HIGH finding, limit 0\n");
    expect(out).toContain("  - linux/arm64: 1 unfixable HIGH finding, limit 0\n");
  });

  it("warns about entries expiring soon without failing", async () => {
    const { code, out } = await gate("--policy", POLICY, "--findings", AMD, "--now", "2027-03-15T00:00:00Z");
    expect(code).toBe(0);
    expect(out).toContain("Warnings:\n  - allowlist[1] CVE-2023-4911: expires 2027-03-31 (17 days left");
  });

  it("prints the verdict as JSON, labelling platforms by LABEL= or by file name", async () => {
    const basic = "test/fixtures/findings/payments-api.amd64.basic.json";
    const { code, out } = await gate(
      "--policy",
      POLICY,
      "--findings",
      basic,
      "--findings",
      ARM,
      "--json",
      "--now",
      AFTER_EXPIRY,
    );
    expect(code).toBe(1);
    const verdict = JSON.parse(out) as Verdict;
    expect(verdict.outcome).toBe("fail");
    expect(verdict.evaluatedAt).toBe("2027-04-01T00:00:00.000Z");
    expect(verdict.platforms.map((p) => p.platform)).toEqual(["payments-api.amd64.basic", "linux/arm64"]);
    expect(
      verdict.reasons.map(
        (r) => r.kind === "threshold-exceeded" && `${r.platform} ${r.fixability} ${r.severity}`,
      ),
    ).toEqual([
      "payments-api.amd64.basic fixable HIGH",
      "linux/arm64 fixable HIGH",
      "linux/arm64 unfixable HIGH",
    ]);
  });

  it("fails when --repository names another repository than the scans", async () => {
    const { code, out } = await gate(
      "--policy",
      POLICY,
      "--findings",
      AMD,
      "--repository",
      "payments/web",
      "--now",
      BEFORE_EXPIRY,
    );
    expect(code).toBe(1);
    expect(out).toContain("linux/amd64: scan is for repository payments/api, expected payments/web");
  });

  it("fails when AWS counts more findings than the response lists", async () => {
    const shape = "test/fixtures/findings/aws-shape.enhanced.json";
    const { code, out } = await gate("--policy", POLICY, "--findings", shape, "--repository", "my-repo");
    expect(code).toBe(1);
    expect(out).toContain(
      "aws-shape.enhanced: AWS counts 2 HIGH findings but 1 are listed (findings not all listed yet, or pages missing)",
    );
  });

  it("fails a CRITICAL under `fixable: { HIGH: 0 }`: a severity left out above a limit is held to 0", async () => {
    const dir = await mkdtemp(join(tmpdir(), "portcullis-gate-"));
    try {
      const policy = join(dir, "high-only.yaml");
      await writeFile(policy, "version: 1\nthresholds:\n  fixable: { HIGH: 0 }\n");
      const { code, out } = await gate("--policy", policy, "--findings", AMD);
      expect(code).toBe(1);
      expect(out).toMatch(/CRITICAL +CVE-\S+ .*\[fixable CRITICAL: 1 > limit 0\]/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("fails closed on a scan status other than COMPLETE/ACTIVE", async () => {
    const unsupported = "linux/amd64=test/fixtures/findings/payments-api.amd64.unsupported.json";
    const { code, out } = await gate(
      "--policy",
      POLICY,
      "--findings",
      unsupported,
      "--findings",
      ARM,
      "--now",
      BEFORE_EXPIRY,
    );
    expect(code).toBe(1);
    expect(out).toMatch(/linux\/amd64 {2}sha256:\S+ {2}UNSUPPORTED_IMAGE {2}FAIL/);
    expect(out).toContain(
      "  - linux/amd64: scan status UNSUPPORTED_IMAGE (only COMPLETE or ACTIVE can pass): UnsupportedImageError:",
    );
  });
});

describe("portcullis gate: bad input exits 2", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-gate-"));
    await writeFile(join(dir, "broken.json"), "{ not json");
    const complete = { imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { findings: [] } };
    await writeFile(join(dir, "no-digest.json"), JSON.stringify(complete));
    const noRepository = { ...complete, imageId: { imageDigest: `sha256:${"c".repeat(64)}` } };
    await writeFile(join(dir, "no-repository.json"), JSON.stringify(noRepository));
    const basic = readFileSync("test/fixtures/findings/payments-api.amd64.basic.json", "utf8");
    await writeFile(
      join(dir, "duplicate-key.json"),
      basic.replace('"findings": [', '"findings": [], "findings": ['),
    );
    await writeFile(
      join(dir, "cut-short.json"),
      JSON.stringify({ ...JSON.parse(basic), nextToken: "eyJwYWdlIjoyfQ==" }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints every policy issue as file:line:column: field", async () => {
    const { code, out, err } = await gate(
      "--policy",
      "test/fixtures/policies/invalid.yaml",
      "--findings",
      AMD,
    );
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(
      "test/fixtures/policies/invalid.yaml:3:27: thresholds.fixable.HIHG: 0 is not a severity",
    );
    expect(err).toContain(
      "test/fixtures/policies/invalid.yaml:4:16: thresholds.unfixable.HIGH: -1 must be at least 0",
    );
    expect(err).toContain(
      'test/fixtures/policies/invalid.yaml:9:5: allowlist[0].expires: "2027-02-29" must be a real date',
    );
  });

  it.each([
    ["a missing findings file", () => "missing.json", /cannot read missing\.json: no such file/],
    ["a findings file that is not JSON", () => join(dir, "broken.json"), /broken\.json is not valid JSON: /],
    [
      "AWS's placeholder digest",
      () => "test/fixtures/findings/aws-shape.basic.placeholder.json",
      /aws-shape\.basic\.placeholder\.json: imageId\.imageDigest: "sha256:<digest>" must contain only hex/,
    ],
    [
      "a response without a digest",
      () => join(dir, "no-digest.json"),
      /no-digest\.json: imageId\.imageDigest: \(missing\) is required/,
    ],
    [
      "a findings document with a duplicate key",
      () => join(dir, "duplicate-key.json"),
      /duplicate-key\.json: imageScanFindings\.findings: "findings" is written twice in one object/,
    ],
    [
      "a response cut short (nextToken still set)",
      () => join(dir, "cut-short.json"),
      /cut-short\.json: nextToken: "eyJwYWdlIjoyfQ==" is still set on the last page: the response was cut short/,
    ],
  ])("refuses %s", async (_title, file, message) => {
    const { code, err } = await gate("--policy", POLICY, "--findings", file());
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("refuses an override whose glob has a '.' segment, naming the field and the glob", async () => {
    const policy = join(dir, "dot-segment.yaml");
    await writeFile(
      policy,
      'version: 1\nthresholds:\n  fixable: { HIGH: 0 }\noverrides:\n  - repositories: ["payments/./api"]\n    thresholds: { fixable: { CRITICAL: 0 } }\n',
    );
    const { code, out, err } = await gate("--policy", policy, "--findings", AMD);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(
      `${policy}:5:20: overrides[0].repositories[0]: "payments/./api" must not contain a '.' segment`,
    );
  });

  it("refuses thresholds that limit nothing, naming the field", async () => {
    const policy = join(dir, "limits-nothing.yaml");
    await writeFile(policy, "version: 1\nthresholds: {}\n");
    const { code, out, err } = await gate("--policy", policy, "--findings", AMD);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(`${policy}:2:1: thresholds: {} limit nothing, so every finding would pass`);
  });

  it("refuses a missing policy file", async () => {
    const { code, err } = await gate("--policy", "nope.yaml", "--findings", AMD);
    expect(code).toBe(2);
    expect(err).toContain("cannot read nope.yaml: no such file");
  });

  it("refuses the same platform twice", async () => {
    const { code, err } = await gate("--policy", POLICY, "--findings", AMD, "--findings", AMD);
    expect(code).toBe(2);
    expect(err).toContain("platform linux/amd64 is given twice");
  });

  it("asks for --repository when the responses name none", async () => {
    const { code, err } = await gate("--policy", POLICY, "--findings", join(dir, "no-repository.json"));
    expect(code).toBe(2);
    expect(err).toContain("no repositoryName in the findings: pass --repository");
  });

  it("refuses an invalid --repository", async () => {
    const { code, err } = await gate("--policy", POLICY, "--findings", AMD, "--repository", "Bad Name");
    expect(code).toBe(2);
    expect(err).toMatch(/--repository: "Bad Name" must be lowercase/);
  });

  it.each([
    [["--findings", AMD], /--policy is required/],
    [["--policy", POLICY], /at least one --findings is required/],
    [["--policy", POLICY, "--findings", AMD, "--colour"], /Unknown option '--colour'/],
    [["--policy", POLICY, "--findings", AMD, "extra"], /unexpected argument "extra"/],
    [
      ["--policy", POLICY, "--findings", AMD, "--now", "tomorrow"],
      /--now "tomorrow" must be an ISO 8601 time/,
    ],
  ])("refuses arguments %j with the usage", async (args, message) => {
    const { code, err } = await gate(...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).toContain("Usage: portcullis gate");
  });
});

describe("portcullis gate through the package bin", () => {
  it("prints the verdict and exits 1 on fail", async () => {
    const run = promisify(execFile)(process.execPath, [
      "bin/portcullis.js",
      "gate",
      "--policy",
      "examples/policies/portcullis.policy.yaml",
      "--findings",
      AMD,
      "--now",
      BEFORE_EXPIRY,
    ]);
    await expect(run).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining("Result: FAIL\n  - linux/amd64: 1 fixable CRITICAL finding, limit 0"),
    });
  });
});
