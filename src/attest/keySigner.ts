import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { AttestationKeyError } from "./errors.ts";
import { keyId } from "./keyId.ts";
import type { Signer } from "./Signer.ts";

/**
 * A {@link Signer} over an EC P-256 private key in PEM (the local pipeline's key file), with node:crypto.
 * @example const signer = keySigner(readFileSync(".portcullis/attestation-key.pem", "utf8"))
 */
export function keySigner(privateKeyPem: string, source = "the private key"): Signer {
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new AttestationKeyError(source, "is not a PEM private key", error);
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1")
    throw new AttestationKeyError(source, "must be an EC P-256 (prime256v1) key");
  return {
    keyId: keyId(createPublicKey(key)),
    sign: async (message) => sign("sha256", message, { key, dsaEncoding: "der" }),
  };
}
