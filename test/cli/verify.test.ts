import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attestationArtifact } from "../../src/attest/attestationArtifact.ts";
import type { DsseEnvelope } from "../../src/attest/DsseEnvelope.ts";
import { keySigner } from "../../src/attest/keySigner.ts";
import { pushAttestation } from "../../src/attest/pushAttestation.ts";
import { signEnvelope } from "../../src/attest/signEnvelope.ts";
import { verificationSummary } from "../../src/attest/VerificationSummary.ts";
import { main } from "../../src/cli/main.ts";
import { emptySeverityCounts } from "../../src/core/index.ts";
import { createRegistryClient, type RegistryClient } from "../../src/registry/index.ts";
import { captureIo } from "../support/captureIo.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { descriptorOf, pushTestImage, randomIndex, type TestImage } from "../support/testImages.ts";

let registry: TestRegistry;
let client: RegistryClient;
let dir: string;
const signing = generateKeyPairSync("ec", { namedCurve: "P-256" });
const signer = keySigner(signing.privateKey.export({ type: "pkcs8", format: "pem" }).toString());

beforeAll(async () => {
  registry = await startRegistry();
  client = createRegistryClient(registry.host);
  dir = mkdtempSync(join(tmpdir(), "portcullis-verify-cli-"));
  writeFileSync(join(dir, "key.pub.pem"), signing.publicKey.export({ type: "spki", format: "pem" }));
  const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
  writeFileSync(join(dir, "other.pub.pem"), other.export({ type: "spki", format: "pem" }));
  writeFileSync(join(dir, "junk.pem"), "not a key");
});
afterAll(async () => {
  client?.close();
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const io = captureIo({ cwd: dir, env: { DOCKER_CONFIG: "/nonexistent-portcullis-docker-config" } });
  const code = await main(["verify", ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

async function image(tag: string): Promise<TestImage> {
  const built = await randomIndex({ sharedLayers: [2048], platformLayers: [512] });
  await pushTestImage(client, "cli/verify", built, tag);
  return built;
}

async function summary(of: TestImage, outcome: "passed" | "failed") {
  return signEnvelope(
    verificationSummary({
      image: { name: `${registry.host}/cli/verify`, digest: of.root.digest },
      verifier: { id: "https://example.test/portcullis", version: "0.1.0" },
      timeVerified: "2026-12-07T00:00:00.000Z",
      policy: { uri: "portcullis.policy.yaml", digest: `sha256:${"2".repeat(64)}` },
      decision: {
        outcome,
        region: "us-east-1",
        platforms: [
          {
            platform: "linux/amd64",
            digest: of.root.digest,
            status: "COMPLETE",
            counts: { ...emptySeverityCounts(), HIGH: 1 },
          },
        ],
        exceptions: [
          {
            kind: "allowlist",
            id: "CVE-2026-0001",
            platforms: ["linux/amd64"],
            expiresAt: "2099-12-31T00:00:00.000Z",
            owner: "sec",
            reason: "not reachable",
            entry: "allowlist[0]",
          },
        ],
        promotedTags: outcome === "passed" ? ["main", "latest"] : [],
        reasons: outcome === "passed" ? [] : ["linux/amd64: 1 fixable CRITICAL finding, limit 0"],
      },
    }),
    signer,
  );
}

async function attach(to: TestImage, envelope: DsseEnvelope) {
  await pushAttestation(
    client,
    "cli/verify",
    attestationArtifact(envelope, descriptorOf(to.root), new Date().toISOString()),
  );
}

describe("portcullis verify", () => {
  it("exits 0 for a verified pass and prints the decision, the exceptions and the tags", async () => {
    const passed = await image("passed");
    await attach(passed, await summary(passed, "passed"));
    const { code, out, err } = await run([`${registry.host}/cli/verify:passed`, "--key", "key.pub.pem"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain(`✓ ${registry.host}/cli/verify:passed: ${passed.root.digest} PASSED`);
    expect(out).toContain(
      "exception allowlist CVE-2026-0001 (linux/amd64) until 2099-12-31T00:00:00.000Z: not reachable",
    );
    expect(out).toContain("promoted tags main, latest");
    const json = await run([
      `${registry.host}/cli/verify@${passed.root.digest}`,
      "--key",
      "key.pub.pem",
      "--json",
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      kind: "verified",
      passed: true,
      statement: { predicateType: "https://slsa.dev/verification_summary/v1" },
    });
  });

  it("exits 1 for a verified rejection, printing its reason", async () => {
    const failed = await image("failed");
    await attach(failed, await summary(failed, "failed"));
    const { code, out } = await run([`${registry.host}/cli/verify:failed`, "--key", "key.pub.pem"]);
    expect(code).toBe(1);
    expect(out).toContain("FAILED");
    expect(out).toContain("reason: linux/amd64: 1 fixable CRITICAL finding, limit 0");
  });

  it("exits 1 with the reason for a tampered envelope, a wrong key and an attestation moved to another digest", async () => {
    const tampered = await image("tampered");
    const envelope = await summary(tampered, "failed");
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString());
    statement.predicate.verificationResult = "PASSED";
    await attach(tampered, {
      ...envelope,
      payload: Buffer.from(JSON.stringify(statement)).toString("base64"),
    });
    const t = await run([`${registry.host}/cli/verify:tampered`, "--key", "key.pub.pem"]);
    expect(t.code).toBe(1);
    expect(t.out).toMatch(
      /not verified: attestation sha256:[a-f0-9]{64}: no signature verifies with key sha256:/,
    );

    const wrong = await run([`${registry.host}/cli/verify:passed`, "--key", "other.pub.pem"]);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain("no signature verifies with key");

    const [signedFor, movedTo] = [await image("signed-for"), await image("moved-to")];
    await attach(movedTo, await summary(signedFor, "passed"));
    const moved = await run([`${registry.host}/cli/verify:moved-to`, "--key", "key.pub.pem"]);
    expect(moved.code).toBe(1);
    expect(moved.out).toContain(
      `the signed statement is about ${signedFor.root.digest}, not ${movedTo.root.digest}`,
    );
  });

  it.each([
    [["127.0.0.1:5000/a:v1"], "give exactly one of --key PEM and --kms-key-id KEY"],
    [["127.0.0.1:5000/a:v1", "--key", "a", "--kms-key-id", "b"], "give exactly one of"],
    [["127.0.0.1:5000/a:v1", "--key", "missing.pem"], '--key: "missing.pem" cannot be read (ENOENT)'],
    [["127.0.0.1:5000/a:v1", "--key", "junk.pem"], '--key: "junk.pem" is not a PEM public key'],
    [["127.0.0.1:5000/App:v1", "--key", "key.pub.pem"], 'IMAGE.repository: "App"'],
    [[], "expected IMAGE, got 0 argument(s)"],
  ])("exits 2 on bad input %j, naming it", async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});
