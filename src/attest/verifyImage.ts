import type { KeyObject } from "node:crypto";
import type { Digest } from "../core/digest.ts";
import { formatReference, type Reference, type RegistryClient } from "../registry/index.ts";
import { findAttestation } from "./findAttestation.ts";
import type { VerificationSummaryStatement } from "./VerificationSummary.ts";

/** What `portcullis verify` found for an image. */
export type VerifyOutcome =
  | {
      readonly kind: "verified";
      readonly image: string;
      readonly digest: Digest;
      readonly attestation: Digest;
      readonly passed: boolean;
      readonly statement: VerificationSummaryStatement;
    }
  | {
      readonly kind: "not-verified";
      readonly image: string;
      readonly digest?: Digest;
      readonly reason: string;
    };

/**
 * Resolves the reference to the digest the registry serves (a tag and a digest must agree), then looks for
 * a Portcullis verification summary of exactly that digest signed by `publicKey`.
 * @example const outcome = await verifyImage(client, parsed, publicKey); outcome.kind === "verified" && outcome.passed
 */
export async function verifyImage(
  client: RegistryClient,
  image: Reference,
  publicKey: KeyObject,
): Promise<VerifyOutcome> {
  const name = formatReference(image);
  const tagged = image.tag === undefined ? undefined : await client.headManifest(image.repository, image.tag);
  if (image.tag !== undefined && tagged === undefined)
    return notVerified(name, `tag ${image.tag} does not exist`);
  if (image.digest !== undefined && tagged !== undefined && tagged.digest !== image.digest)
    return notVerified(name, `tag ${image.tag} is ${tagged.digest}, not ${image.digest}`);
  const digest = image.digest ?? tagged?.digest;
  if (digest === undefined) return notVerified(name, "name a tag or a digest");
  if (!(await client.headManifest(image.repository, digest)))
    return notVerified(name, `${digest} does not exist`, digest);
  const found = await findAttestation(client, image.repository, digest, publicKey);
  if (!found.ok) return notVerified(name, found.reason, digest);
  return {
    kind: "verified",
    image: name,
    digest,
    attestation: found.attestation,
    passed: found.passed,
    statement: found.statement,
  };
}

function notVerified(image: string, reason: string, digest?: Digest): VerifyOutcome {
  return { kind: "not-verified", image, reason, ...(digest === undefined ? {} : { digest }) };
}
