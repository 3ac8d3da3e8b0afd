import { attestationArtifact } from "../../attest/attestationArtifact.ts";
import { policyDigest } from "../../attest/policyDigest.ts";
import { pushAttestation } from "../../attest/pushAttestation.ts";
import type { Signer } from "../../attest/Signer.ts";
import { signEnvelope } from "../../attest/signEnvelope.ts";
import { verificationSummary } from "../../attest/VerificationSummary.ts";
import type { Digest } from "../../core/index.ts";
import type { DecidedCandidate, PromotedCandidate } from "../../release/index.ts";
import { verifyCommand } from "../../report/renderAttestation.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import { decisionFacts } from "./decisionFacts.ts";
import type { AttestationNote } from "./notifications.ts";

/** Where the summary names its verifier and policy when the settings do not say. */
export const attestationDefaults = {
  verifier: "https://github.com/portcullis/portcullis/gate",
  version: "0.1.0",
  policyUri: "portcullis.policy.yaml",
} as const;

/**
 * Signs the decision as a SLSA verification summary (in-toto statement in a DSSE envelope, with the signer
 * port: KMS in AWS, a key file locally) and pushes it as an OCI artifact whose subject is the candidate's
 * index, so every copy of the image carries it. Returns the attestation's digest and the signing key.
 * @example const attested = await attestDecision(ctx, state, promoted.promotion.tags)
 */
export async function attestDecision(
  ctx: Pick<HandlerContext, "registry" | "settings"> & { readonly signer: Signer },
  state: DecidedCandidate | PromotedCandidate,
  promotedTags: readonly string[],
): Promise<{ readonly digest: Digest; readonly keyId: string }> {
  const { region, repository, digest } = state.key;
  const client = ctx.registry.clientFor(region);
  const index = await client.getManifest(repository, digest);
  const { required: _, verifyKey: __, ...given } = ctx.settings.attestation ?? {};
  const names = { ...attestationDefaults, ...given };
  const statement = verificationSummary({
    image: { name: `${client.registry}/${repository}`, digest },
    verifier: { id: names.verifier, version: names.version },
    timeVerified: state.decision.at,
    policy: { uri: names.policyUri, digest: policyDigest(ctx.settings.policy) },
    decision: decisionFacts(state, promotedTags, ctx.settings),
  });
  const envelope = await signEnvelope(statement, ctx.signer);
  const subject = { mediaType: index.mediaType, digest, size: index.bytes.length };
  const artifact = attestationArtifact(envelope, subject, state.decision.at);
  await pushAttestation(client, repository, artifact);
  return { digest: artifact.manifest.digest, keyId: ctx.signer.keyId };
}

/**
 * What the notifications say about the signed decision: its result and the `portcullis verify` command (the
 * key by KMS ARN, or as the settings name it). Undefined when this function signs nothing.
 * @example const note = attestationNote(ctx, state) // { result: "PASSED", verify: "npx portcullis verify … --kms-key-id arn:…" }
 */
export function attestationNote(
  ctx: Pick<HandlerContext, "registry" | "settings" | "signer">,
  state: DecidedCandidate | PromotedCandidate,
): AttestationNote | undefined {
  if (ctx.signer === undefined) return undefined;
  const { keyId } = ctx.signer;
  const keyFlag =
    ctx.settings.attestation?.verifyKey ??
    (keyId.startsWith("arn:") ? `--kms-key-id ${keyId}` : `--key <the PEM of ${keyId}>`);
  const { region, repository, digest } = state.key;
  const image = `${ctx.registry.clientFor(region).registry}/${repository}@${digest}`;
  return {
    result: state.decision.outcome === "passed" ? "PASSED" : "FAILED",
    verify: verifyCommand(image, keyFlag),
  };
}
