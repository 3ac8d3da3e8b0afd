import { type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE } from "./DsseEnvelope.ts";
import { pae } from "./pae.ts";
import type { Signer } from "./Signer.ts";

/**
 * Wraps a statement in a DSSE envelope signed by `signer` over the PAE of its exact JSON bytes.
 * @example const envelope = await signEnvelope(statement, signer)
 */
export async function signEnvelope(statement: object, signer: Signer): Promise<DsseEnvelope> {
  const payload = Buffer.from(JSON.stringify(statement), "utf8");
  const sig = await signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload));
  return {
    payload: payload.toString("base64"),
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    signatures: [{ keyid: signer.keyId, sig: sig.toString("base64") }],
  };
}
