import { KMS } from "@aws-sdk/client-kms";
import type { Signer } from "../attest/Signer.ts";
import { kmsSigner } from "./KmsSigner.ts";

/**
 * The deciding functions' signer: the attestation key the State stack creates, through the SDK's KMS client in
 * the key's region (kms:Sign is granted to gate and reconcile only).
 * @example const signer = kmsAttestationSigner(settings.attestationKeyArn)
 */
export function kmsAttestationSigner(keyArn: string): Signer {
  const region = keyArn.split(":")[3];
  return kmsSigner(new KMS(region ? { region } : {}), keyArn);
}
