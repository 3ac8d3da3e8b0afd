import type { Digest } from "../../core/digest.ts";
import { RegistryError } from "../errors.ts";
import type { Descriptor } from "../manifest.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import { readReferrersIndex } from "./findReferrers.ts";
import { mergeReferrersIndex } from "./mergeReferrersIndex.ts";
import { referrersTag } from "./referrersTag.ts";

/** Read–merge–write rounds before giving up on a tag another writer keeps changing. */
const ATTEMPTS = 3;

/**
 * Makes the subject's `sha256-<hex>` tag list `referrers` on a registry without the referrers API: reads
 * the index there, merges (never clobbers other referrers), pushes it, and reads it back; if another
 * writer replaced it meanwhile and dropped ours, merges again.
 * @example await updateReferrersTag(target, "team/app", index.digest, [signature])
 */
export async function updateReferrersTag(
  client: RegistryClient,
  repository: string,
  subject: Digest,
  referrers: readonly Descriptor[],
): Promise<void> {
  const tag = referrersTag(subject);
  const what = `${client.registry}/${repository}:${tag}`;
  for (let attempt = 0; ; attempt++) {
    const merged = mergeReferrersIndex(
      await readReferrersIndex(client, repository, subject),
      referrers,
      what,
    );
    if (merged === undefined) return;
    if (attempt === ATTEMPTS) break;
    await client.putManifest(repository, tag, merged);
  }
  const why = `still lacks ${referrers.length} referrer(s) after ${ATTEMPTS} merges (another writer keeps replacing it)`;
  throw new RegistryError({
    message: `referrers tag ${what} ${why}`,
    errors: [{ code: "UNAVAILABLE", message: why }],
  });
}
