import { execFileSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attestationArtifact } from "../../src/attest/attestationArtifact.ts";
import type { DsseEnvelope } from "../../src/attest/DsseEnvelope.ts";
import { keySigner } from "../../src/attest/keySigner.ts";
import { pae } from "../../src/attest/pae.ts";
import { pushAttestation } from "../../src/attest/pushAttestation.ts";
import type { Signer } from "../../src/attest/Signer.ts";
import { signEnvelope } from "../../src/attest/signEnvelope.ts";
import { verificationSummary } from "../../src/attest/VerificationSummary.ts";
import { verifyImage } from "../../src/attest/verifyImage.ts";
import { type KmsSigningApi, kmsPublicKeyOf, kmsSigner } from "../../src/aws/KmsSigner.ts";
import { emptySeverityCounts } from "../../src/core/index.ts";
import { createRegistryClient, parseReference, type RegistryClient } from "../../src/registry/index.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { descriptorOf, pushTestImage, randomIndex, type TestImage } from "../support/testImages.ts";

let registry: TestRegistry;
let client: RegistryClient;
let work: string;
beforeAll(async () => {
  registry = await startRegistry();
  client = createRegistryClient(registry.host);
  work = mkdtempSync(join(tmpdir(), "portcullis-attest-"));
});
afterAll(async () => {
  client?.close();
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function newKey(): { pem: string; publicKey: KeyObject; file: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const file = join(work, `key-${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(file, pem);
  return { pem, publicKey, file };
}

function statementFor(image: TestImage, outcome: "passed" | "failed" = "passed") {
  return verificationSummary({
    image: { name: `${registry.host}/att/app`, digest: image.root.digest },
    verifier: { id: "https://example.test/portcullis", version: "0.1.0" },
    timeVerified: "2026-12-07T00:00:00.000Z",
    policy: { uri: "portcullis.policy.yaml", digest: `sha256:${"1".repeat(64)}` },
    decision: {
      outcome,
      region: "us-east-1",
      platforms: [
        { platform: "linux/amd64", digest: "sha256:x", status: "COMPLETE", counts: emptySeverityCounts() },
      ],
      exceptions: [],
      promotedTags: outcome === "passed" ? ["main"] : [],
      reasons: outcome === "passed" ? [] : ["linux/amd64: 1 fixable CRITICAL finding, limit 0"],
    },
  });
}

async function pushed(tag: string): Promise<TestImage> {
  const image = await randomIndex({ sharedLayers: [4096], platformLayers: [1024] });
  await pushTestImage(client, "att/app", image, tag);
  return image;
}

async function attest(image: TestImage, envelope: DsseEnvelope, subject = image): Promise<void> {
  await pushAttestation(
    client,
    "att/app",
    attestationArtifact(envelope, descriptorOf(subject.root), new Date().toISOString()),
  );
}

function ref(text: string) {
  const parsed = parseReference(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

describe("DSSE", () => {
  it("encodes the PAE as the DSSE protocol's example does", () => {
    expect(pae("http://example.com/HelloWorld", Buffer.from("hello world")).toString()).toBe(
      "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
    );
  });

  it("signs so that openssl verifies the envelope by hand (base64 -d the payload, rebuild the PAE, dgst -verify)", async () => {
    const key = newKey();
    const envelope = await signEnvelope({ hello: "world" }, keySigner(key.pem));
    const payload = Buffer.from(envelope.payload, "base64");
    writeFileSync(join(work, "pae.bin"), pae(envelope.payloadType, payload));
    writeFileSync(join(work, "sig.der"), Buffer.from(envelope.signatures[0]?.sig ?? "", "base64"));
    writeFileSync(join(work, "pub.pem"), key.publicKey.export({ type: "spki", format: "pem" }));
    const out = execFileSync("openssl", [
      "dgst",
      "-sha256",
      "-verify",
      join(work, "pub.pem"),
      "-signature",
      join(work, "sig.der"),
      join(work, "pae.bin"),
    ]);
    expect(out.toString()).toContain("Verified OK");
    expect(envelope.signatures[0]?.keyid).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it("refuses a key that is not EC P-256, naming it", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    expect(() => keySigner(rsa.toString(), "key.pem")).toThrow(
      "key.pem must be an EC P-256 (prime256v1) key",
    );
    expect(() => keySigner("nope", "key.pem")).toThrow("key.pem is not a PEM private key");
  });
});

describe("verifying an image's attestation", () => {
  it("verifies a signed PASSED summary of the digest a tag resolves to", async () => {
    const key = newKey();
    const image = await pushed("ok");
    await attest(image, await signEnvelope(statementFor(image), keySigner(key.pem)));
    const outcome = await verifyImage(client, ref(`${registry.host}/att/app:ok`), key.publicKey);
    expect(outcome).toMatchObject({ kind: "verified", digest: image.root.digest, passed: true });
  });

  it("verifies a FAILED summary but reports the decision as not passed", async () => {
    const key = newKey();
    const image = await pushed("failed");
    await attest(image, await signEnvelope(statementFor(image, "failed"), keySigner(key.pem)));
    const outcome = await verifyImage(client, ref(`${registry.host}/att/app:failed`), key.publicKey);
    expect(outcome).toMatchObject({ kind: "verified", passed: false });
  });

  it("rejects a tampered envelope: the payload changed after signing", async () => {
    const key = newKey();
    const image = await pushed("tampered");
    const envelope = await signEnvelope(statementFor(image, "failed"), keySigner(key.pem));
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString());
    statement.predicate.verificationResult = "PASSED";
    await attest(image, { ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString("base64") });
    const outcome = await verifyImage(client, ref(`${registry.host}/att/app:tampered`), key.publicKey);
    expect(outcome).toMatchObject({ kind: "not-verified" });
    expect(outcome.kind === "not-verified" && outcome.reason).toContain(
      `no signature verifies with key sha256:`,
    );
  });

  it("rejects a signature by another key", async () => {
    const image = await pushed("wrongkey");
    await attest(image, await signEnvelope(statementFor(image), keySigner(newKey().pem)));
    const other = newKey();
    const outcome = await verifyImage(client, ref(`${registry.host}/att/app:wrongkey`), other.publicKey);
    expect(outcome.kind === "not-verified" && outcome.reason).toMatch(
      /no signature verifies with key sha256:[a-f0-9]{64} \(signed by: sha256:/,
    );
  });

  it("rejects an attestation moved onto another digest", async () => {
    const key = newKey();
    const [signed, other] = [await pushed("signed"), await pushed("other")];
    const envelope = await signEnvelope(statementFor(signed), keySigner(key.pem));
    await attest(other, envelope);
    const outcome = await verifyImage(client, ref(`${registry.host}/att/app:other`), key.publicKey);
    expect(outcome.kind === "not-verified" && outcome.reason).toContain(
      `the signed statement is about ${signed.root.digest}, not ${other.root.digest}`,
    );
  });

  it("says when nothing is attested, and when the tag and the digest disagree", async () => {
    const key = newKey();
    const image = await pushed("bare");
    const none = await verifyImage(client, ref(`${registry.host}/att/app:bare`), key.publicKey);
    expect(none.kind === "not-verified" && none.reason).toBe(
      `no Portcullis verification summary refers to ${registry.host}/att/app@${image.root.digest}`,
    );
    const other = await pushed("bare2");
    const mismatch = await verifyImage(
      client,
      ref(`${registry.host}/att/app:bare@${other.root.digest}`),
      key.publicKey,
    );
    expect(mismatch.kind === "not-verified" && mismatch.reason).toBe(
      `tag bare is ${image.root.digest}, not ${other.root.digest}`,
    );
  });
});

describe("the KMS signer", () => {
  /** KMS stand-in: signs the digest it is sent with openssl pkeyutl (raw ECDSA over a digest, as KMS does for MessageType DIGEST). */
  function fakeKms(key: { file: string; publicKey: KeyObject }, calls: unknown[]): KmsSigningApi {
    return {
      async sign(input) {
        calls.push({ ...input, Message: Buffer.from(input.Message).toString("hex") });
        const digestFile = join(work, "digest.bin");
        writeFileSync(digestFile, input.Message);
        return {
          Signature: execFileSync("openssl", ["pkeyutl", "-sign", "-inkey", key.file, "-in", digestFile]),
        };
      },
      async getPublicKey() {
        return { PublicKey: key.publicKey.export({ type: "spki", format: "der" }) };
      },
    };
  }

  it("signs the SHA-256 of the PAE with ECDSA_SHA_256 so the envelope verifies with the key's public half", async () => {
    const key = newKey();
    const calls: unknown[] = [];
    const kms = fakeKms(key, calls);
    const arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const signer: Signer = kmsSigner(kms, arn);
    const image = await pushed("kms");
    await attest(image, await signEnvelope(statementFor(image), signer));
    const publicKey = await kmsPublicKeyOf(kms, arn);
    expect(publicKey.equals(createPublicKey(key.pem))).toBe(true);
    expect(await verifyImage(client, ref(`${registry.host}/att/app:kms`), publicKey)).toMatchObject({
      kind: "verified",
      passed: true,
    });
    expect(calls).toEqual([
      {
        KeyId: arn,
        Message: expect.stringMatching(/^[a-f0-9]{64}$/),
        MessageType: "DIGEST",
        SigningAlgorithm: "ECDSA_SHA_256",
      },
    ]);
  });
});
