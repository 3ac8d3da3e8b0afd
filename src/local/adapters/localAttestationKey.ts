import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { keySigner } from "../../attest/keySigner.ts";
import type { Signer } from "../../attest/Signer.ts";

/** The local pipeline's attestation key: the signer the deciding handlers get, and the public half for `verify`. */
export interface LocalAttestationKey {
  readonly signer: Signer;
  readonly publicKey: KeyObject;
  /** The public key's PEM file, for `portcullis verify --key`. */
  readonly publicKeyFile: string;
}

/**
 * Reads the EC P-256 key under the state folder, creating it (mode 0600, the public half beside it) on first
 * use: locally this file stands in for the KMS key the stacks create.
 * @example const key = await localAttestationKey(layout.attestationKey, layout.attestationPublicKey)
 */
export async function localAttestationKey(
  privateFile: string,
  publicFile: string,
): Promise<LocalAttestationKey> {
  const pem = await readFile(privateFile, "utf8").catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
    const created = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    await writeFile(privateFile, created, { mode: 0o600, flag: "wx" });
    return created.toString();
  });
  const signer = keySigner(pem, privateFile);
  const publicKey = createPublicKey(pem);
  await writeFile(publicFile, publicKey.export({ type: "spki", format: "pem" }));
  return { signer, publicKey, publicKeyFile: publicFile };
}
