/**
 * Signs Portcullis's attestations: ECDSA P-256 over SHA-256, DER-encoded signatures (what KMS's
 * ECDSA_SHA_256 returns and `openssl dgst -sha256 -verify` reads). Adapters: a key file (local), an AWS KMS
 * asymmetric key (ECC_NIST_P256) in AWS.
 */
export interface Signer {
  /** Names the key in the envelope (`sha256:` of the public key's DER SubjectPublicKeyInfo, or the KMS key ARN). */
  readonly keyId: string;
  /** Signs `message` (the DSSE PAE bytes); resolves to the DER ECDSA signature. */
  sign(message: Buffer): Promise<Buffer>;
}
