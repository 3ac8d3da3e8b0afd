import { type KeyObject, verify } from "node:crypto";
import type { Digest } from "../core/digest.ts";
import type { RawManifest } from "../registry/index.ts";
import { type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE } from "./DsseEnvelope.ts";
import { keyId } from "./keyId.ts";
import { pae } from "./pae.ts";
import {
  STATEMENT_TYPE,
  type VerificationSummaryStatement,
  VSA_PREDICATE_TYPE,
} from "./VerificationSummary.ts";

/** What checking one attestation found: the verified statement, or why it is not to be trusted. */
export type AttestationCheck =
  | { readonly ok: true; readonly statement: VerificationSummaryStatement; readonly passed: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks one attestation against the image digest it was found under, in the order a forgery would fail:
 * the manifest's `subject` is the digest; the envelope is DSSE with an in-toto payload; a signature over the
 * PAE verifies with `publicKey` (ECDSA P-256, SHA-256); the signed statement is a verification summary whose
 * subject is the digest. Pure: the caller fetched the bytes. `passed` is the decision's result.
 * @example const check = checkAttestation({ manifest, envelope, digest, publicKey })
 */
export function checkAttestation(input: {
  readonly manifest: RawManifest;
  readonly envelope: Buffer;
  readonly digest: Digest;
  readonly publicKey: KeyObject;
}): AttestationCheck {
  const subject = (parseJson(input.manifest.bytes) as { subject?: { digest?: unknown } } | undefined)?.subject
    ?.digest;
  if (subject !== input.digest)
    return fail(`its manifest's subject is ${String(subject)}, not the image's digest ${input.digest}`);
  const envelope = parseJson(input.envelope) as Partial<DsseEnvelope> | undefined;
  if (typeof envelope?.payload !== "string" || !Array.isArray(envelope.signatures))
    return fail("its layer is not a DSSE envelope (payload and signatures)");
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return fail(`its payloadType is ${JSON.stringify(envelope.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  const payload = Buffer.from(envelope.payload, "base64");
  const signed = pae(envelope.payloadType, payload);
  const key = { key: input.publicKey, dsaEncoding: "der" as const };
  const verified = envelope.signatures.some(
    (s) => typeof s?.sig === "string" && verify("sha256", signed, key, Buffer.from(s.sig, "base64")),
  );
  if (!verified) {
    const ids = envelope.signatures.map((s) => s?.keyid).join(", ");
    return fail(`no signature verifies with key ${keyId(input.publicKey)} (signed by: ${ids || "nobody"})`);
  }
  return checkStatement(
    parseJson(payload) as Partial<VerificationSummaryStatement> | undefined,
    input.digest,
  );
}

function checkStatement(
  statement: Partial<VerificationSummaryStatement> | undefined,
  digest: Digest,
): AttestationCheck {
  if (statement?._type !== STATEMENT_TYPE)
    return fail(`its payload is not an in-toto ${STATEMENT_TYPE} statement`);
  if (statement.predicateType !== VSA_PREDICATE_TYPE || statement.predicate === undefined)
    return fail(`its predicate type is ${String(statement.predicateType)}, not ${VSA_PREDICATE_TYPE}`);
  const hex = digest.slice("sha256:".length);
  const subjects = (statement.subject ?? []).map((s) => s?.digest?.sha256);
  if (!subjects.includes(hex))
    return fail(
      `the signed statement is about ${subjects.map((s) => `sha256:${s}`).join(", ")}, not ${digest}`,
    );
  const full = statement as VerificationSummaryStatement;
  return { ok: true, statement: full, passed: full.predicate.verificationResult === "PASSED" };
}

function fail(reason: string): AttestationCheck {
  return { ok: false, reason };
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}
