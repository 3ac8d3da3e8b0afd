import type { Candidate } from "../release/index.ts";

/** How a reader verifies a candidate's signed summary: the image's registry and the key flag of `portcullis verify`. */
export interface AttestationReference {
  /** `host[:port]` of the registry in the candidate's region. */
  readonly registry: string;
  /** `--kms-key-id <arn>` in AWS, `--key <public key PEM>` locally. */
  readonly keyFlag: string;
}

/**
 * The check run's "Signed decision" section for a decided candidate: what is attested (a SLSA verification
 * summary in a DSSE envelope, attached to the index as an OCI referrer, copied with it) and the command that
 * verifies it where the image is deployed. Nothing while the candidate is still scanning. Pure.
 * @example lines.push(...renderAttestation(candidate, { registry, keyFlag: "--kms-key-id arn:aws:kms:…" }))
 */
export function renderAttestation(candidate: Candidate, reference: AttestationReference): string[] {
  if (candidate.phase === "scanning") return [];
  const result = candidate.decision.outcome === "passed" ? "PASSED" : "FAILED";
  const { repository, digest } = candidate.key;
  return [
    "### 🔏 Signed decision",
    "",
    `A SLSA verification summary saying **${result}** (an in-toto statement in a DSSE envelope, ECDSA P-256) is ` +
      "attached to the index as an OCI referrer and travels with every copy of it. Verify it where the image runs:",
    "",
    "```sh",
    // Inside a code block nothing is markdown: only a backtick or a line break could end it.
    verifyCommand(`${reference.registry}/${repository}@${digest}`, reference.keyFlag).replace(/[`\r\n]/g, ""),
    "```",
    "",
  ];
}

/** The `portcullis verify` command line for an image and a key flag. */
export function verifyCommand(image: string, keyFlag: string): string {
  return `npx portcullis verify ${image} ${keyFlag}`;
}
