import { createHash, type KeyObject } from "node:crypto";

/** A public key's id: `sha256:` and the hex SHA-256 of its DER SubjectPublicKeyInfo (as `openssl pkey -pubin -outform DER | sha256sum`). */
export function keyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(der).digest("hex")}`;
}
