import { relative } from "node:path";
import { verifyImage } from "../../attest/verifyImage.ts";
import type { Digest } from "../../core/index.ts";
import type { RegistryDirectory } from "../../handlers/ports.ts";
import type { LocalAttestationKey } from "../adapters/localAttestationKey.ts";
import type { RegionAttestation } from "./RunSummary.ts";

/**
 * Runs `portcullis verify` (the same check, in process) on the index in each region: the decision's signed
 * summary must be there, verify with the run's key, and name the index digest. Reads only.
 * @example const attestations = await verifyRegions(directory, ["us-east-1", "eu-west-1"], repository, digest, key, cwd)
 */
export async function verifyRegions(
  directory: RegistryDirectory,
  regions: readonly string[],
  repository: string,
  digest: Digest,
  key: LocalAttestationKey,
  cwd: string,
): Promise<RegionAttestation[]> {
  return Promise.all(
    regions.map(async (region) => {
      const client = directory.clientFor(region);
      const image = { registry: client.registry, repository, digest };
      const command = `npx portcullis verify ${client.registry}/${repository}@${digest} --key ${relative(cwd, key.publicKeyFile)}`;
      const base = { region, registry: client.registry, command };
      try {
        const outcome = await verifyImage(client, image, key.publicKey);
        if (outcome.kind === "not-verified")
          return { ...base, verified: false, passed: false, reason: outcome.reason };
        return { ...base, verified: true, passed: outcome.passed, attestation: outcome.attestation };
      } catch (error) {
        return { ...base, verified: false, passed: false, reason: (error as Error).message };
      }
    }),
  );
}
