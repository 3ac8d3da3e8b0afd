import { createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { VerifyOutcome } from "../../attest/verifyImage.ts";
import { verifyImage } from "../../attest/verifyImage.ts";
import { createRegistryClient, defaultCredentials, RegistryError } from "../../registry/index.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { parseArgsOrUsage } from "../parseArgsOrUsage.ts";
import { reference } from "./copy.ts";

const usage = `Usage: portcullis verify IMAGE (--key PEM | --kms-key-id KEY) [--json] [--insecure]

Verifies that IMAGE was decided by Portcullis: finds its signed verification summary (an in-toto
statement, SLSA VSA v1, in a DSSE envelope attached to the index as an OCI referrer), checks the
ECDSA P-256 signature with the public key, that the statement's subject is the digest IMAGE
resolves to, and that the result is PASSED; prints the decision and the exceptions it relied on.
Exit 0: verified and passed; 1: not verified, or the decision was FAILED; 2: bad input.

  IMAGE             host[:port]/repository[:tag][@sha256:…]
  --key PEM         the public key file (locally .portcullis/attestation-key.pub.pem)
  --kms-key-id KEY  an AWS KMS key id, ARN or alias: its public key is fetched (kms:GetPublicKey)
  --json            print the outcome and the verified statement as JSON
  --insecure        plain HTTP (always used for localhost, 127.0.0.0/8 and [::1])`;

/** `portcullis verify IMAGE`: the CLI edge over {@link verifyImage}. */
export const command: Command = {
  name: "verify",
  summary: "Verify an image's signed Portcullis decision (verification summary attestation)",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOrUsage(argv);
    if (positionals.length !== 1)
      throw new UsageError(`expected IMAGE, got ${positionals.length} argument(s)`);
    const image = reference(positionals[0], "IMAGE");
    const publicKey = await loadKey(values, io);
    const client = createRegistryClient(image.registry, {
      insecure: values.insecure ?? false,
      credentials: defaultCredentials(io.env),
    });
    try {
      const outcome = await verifyImage(client, image, publicKey);
      io.stdout(values.json ? `${JSON.stringify(outcome, null, 2)}\n` : render(outcome));
      return outcome.kind === "verified" && outcome.passed ? ExitCode.Ok : ExitCode.Failed;
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      io.stderr(`portcullis verify: ${error.message}\n`);
      return ExitCode.Failed;
    } finally {
      client.close();
    }
  },
};

function parseOrUsage(argv: readonly string[]) {
  return parseArgsOrUsage({
    args: [...argv],
    allowPositionals: true,
    options: {
      key: { type: "string" },
      "kms-key-id": { type: "string" },
      json: { type: "boolean" },
      insecure: { type: "boolean" },
    },
  });
}

async function loadKey(values: { key?: string; "kms-key-id"?: string }, io: CommandIo): Promise<KeyObject> {
  const kms = values["kms-key-id"];
  if ((values.key === undefined) === (kms === undefined))
    throw new UsageError("give exactly one of --key PEM and --kms-key-id KEY");
  if (kms !== undefined) {
    const { kmsPublicKey } = await import("../../aws/kmsPublicKey.ts");
    return kmsPublicKey(kms, io.env).catch((error: unknown) => {
      throw new UsageError(`--kms-key-id: ${JSON.stringify(kms)}: ${(error as Error).message}`);
    });
  }
  const path = resolve(io.cwd, values.key as string);
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `--key: ${JSON.stringify(values.key)} cannot be read (${(error as { code?: string }).code ?? "unreadable"})`,
    );
  }
  try {
    return createPublicKey(pem);
  } catch {
    throw new UsageError(`--key: ${JSON.stringify(values.key)} is not a PEM public key`);
  }
}

/** The human summary: the verdict line, then the decision's facts. */
function render(outcome: VerifyOutcome): string {
  if (outcome.kind === "not-verified") return `✗ ${outcome.image}: not verified: ${outcome.reason}\n`;
  const { predicate } = outcome.statement;
  const facts = predicate.portcullis;
  const lines = [
    `${outcome.passed ? "✓" : "✗"} ${outcome.image}: ${outcome.digest} ${predicate.verificationResult} (signed verification summary ${outcome.attestation})`,
    `  decided ${predicate.timeVerified} by ${predicate.verifier.id} ${predicate.verifier.version.portcullis ?? ""}`.trimEnd(),
    `  policy ${predicate.policy.uri} sha256:${predicate.policy.digest.sha256}`,
    ...facts.platforms.map((p) => `  ${p.platform.padEnd(14)} ${p.status} ${counts(p.counts)}`),
    ...facts.exceptions.map(
      (e) =>
        `  exception ${e.kind} ${e.id} (${e.platforms.join(", ")}) until ${e.expiresAt}: ${e.reason} (${e.owner}, ${e.entry})`,
    ),
    ...(facts.promotedTags.length > 0 ? [`  promoted tags ${facts.promotedTags.join(", ")}`] : []),
    ...facts.reasons.map((r) => `  reason: ${r}`),
  ];
  return `${lines.join("\n")}\n`;
}

function counts(values: Readonly<Record<string, number>>): string {
  const nonZero = Object.entries(values).filter(([, n]) => n > 0);
  return nonZero.length === 0 ? "no findings" : nonZero.map(([s, n]) => `${s} ${n}`).join(", ");
}
