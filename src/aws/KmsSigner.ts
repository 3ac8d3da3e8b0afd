import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import type { Signer } from "../attest/Signer.ts";

/**
 * The two AWS KMS calls attestations need, as the SDK v3 aggregated `KMS` client has them (so `new KMS({ region })`
 * fits as is, and a test can stand in with node:crypto).
 */
export interface KmsSigningApi {
  sign(input: {
    readonly KeyId: string;
    readonly Message: Uint8Array;
    readonly MessageType: "DIGEST";
    readonly SigningAlgorithm: "ECDSA_SHA_256";
  }): Promise<{ readonly Signature?: Uint8Array | undefined }>;
  getPublicKey(input: { readonly KeyId: string }): Promise<{ readonly PublicKey?: Uint8Array | undefined }>;
}

/**
 * A {@link Signer} over an AWS KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY): KMS signs the SHA-256 of the
 * PAE (`MessageType: DIGEST`, so envelopes over KMS's 4 KiB message limit sign too) with ECDSA_SHA_256 and
 * answers a DER signature, exactly what node:crypto and openssl verify over the PAE bytes.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html
 * @example const signer = kmsSigner(new KMS({ region }), process.env.PORTCULLIS_ATTESTATION_KEY_ARN)
 */
export function kmsSigner(kms: KmsSigningApi, keyArn: string): Signer {
  return {
    keyId: keyArn,
    async sign(message) {
      const digest = createHash("sha256").update(message).digest();
      const input = {
        KeyId: keyArn,
        Message: digest,
        MessageType: "DIGEST",
        SigningAlgorithm: "ECDSA_SHA_256",
      } as const;
      const { Signature } = await kms.sign(input);
      if (Signature === undefined) throw new Error(`KMS Sign with ${keyArn} answered no signature`);
      return Buffer.from(Signature);
    },
  };
}

/** The key's public half (GetPublicKey: DER SubjectPublicKeyInfo), for `portcullis verify --kms-key-id`. */
export async function kmsPublicKeyOf(kms: KmsSigningApi, keyId: string): Promise<KeyObject> {
  const { PublicKey } = await kms.getPublicKey({ KeyId: keyId });
  if (PublicKey === undefined) throw new Error(`KMS GetPublicKey for ${keyId} answered no key`);
  return createPublicKey({ key: Buffer.from(PublicKey), format: "der", type: "spki" });
}
