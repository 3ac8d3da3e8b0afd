import type { KeyObject } from "node:crypto";
import { KMS } from "@aws-sdk/client-kms";
import { kmsPublicKeyOf } from "./KmsSigner.ts";

/**
 * Fetches a KMS key's public key with the default AWS credentials, in the region the key ARN names (else
 * AWS_REGION): what `portcullis verify --kms-key-id` checks signatures with.
 * @example const publicKey = await kmsPublicKey("arn:aws:kms:eu-west-1:123456789012:key/…", process.env)
 */
export async function kmsPublicKey(
  keyId: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<KeyObject> {
  const region =
    /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyId)?.[1] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region === undefined) throw new Error("name the key by ARN or set AWS_REGION");
  const kms = new KMS({ region });
  try {
    return await kmsPublicKeyOf(kms, keyId);
  } finally {
    kms.destroy();
  }
}
