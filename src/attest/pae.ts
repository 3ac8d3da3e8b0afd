/**
 * DSSE's Pre-Authentication Encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>`, lengths in bytes as
 * ASCII decimal. The signature covers these bytes, never the JSON envelope.
 * https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
 * @example pae("application/vnd.in-toto+json", Buffer.from("{}")) // "DSSEv1 28 application/vnd.in-toto+json 2 {}"
 */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  const head = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `, "utf8");
  return Buffer.concat([head, payload]);
}
