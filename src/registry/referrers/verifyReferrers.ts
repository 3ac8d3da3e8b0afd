import type { Digest } from "../../core/digest.ts";
import { RegistryError } from "../errors.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import type { CopiedReferrer } from "./copyReferrers.ts";
import { findReferrers } from "./findReferrers.ts";

/**
 * Reads back from `client` that every copied referrer is listed under its subject (by the referrers API
 * or the tag schema, whichever the registry has) and that its manifest is there with the same digest.
 * Throws a RegistryError naming the first one missing.
 * @example await verifyReferrers(replica, "team/app", result.referrers)
 */
export async function verifyReferrers(
  client: RegistryClient,
  repository: string,
  referrers: readonly CopiedReferrer[],
): Promise<void> {
  const subjects = new Set(referrers.map((r) => r.subject));
  for (const subject of subjects) {
    const listed = new Set<Digest>(
      (await findReferrers(client, repository, subject)).manifests.map((d) => d.digest),
    );
    for (const referrer of referrers.filter((r) => r.subject === subject)) {
      const stored = await client.headManifest(repository, referrer.digest);
      if (listed.has(referrer.digest) && stored?.digest === referrer.digest) continue;
      const why = `referrer ${referrer.digest} of ${subject} is ${stored ? "not listed" : "missing"} in ${client.registry}/${repository}`;
      throw new RegistryError({ message: why, errors: [{ code: "MANIFEST_UNKNOWN", message: why }] });
    }
  }
}
