import type { Digest } from "../../core/digest.ts";
import { MediaType } from "../../core/mediaTypes.ts";
import { type Descriptor, parseManifest, type RawManifest } from "../manifest.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import { referrersTag } from "./referrersTag.ts";

/** How a registry lists referrers: the OCI 1.1 referrers API, or the referrers tag schema. */
export type ReferrersVia = "api" | "tag-schema";

/** The referrers of one subject, and where they were read from. */
export interface FoundReferrers {
  readonly via: ReferrersVia;
  readonly manifests: readonly Descriptor[];
  /** The tag-schema index exactly as served (tag schema only, when the tag exists). */
  readonly index?: RawManifest;
}

/** Whether each registry (one client per registry) answered the referrers API, once probed. */
const apiSupport = new WeakMap<RegistryClient, boolean>();

/**
 * True when the registry serves the referrers API. Probed once per client with a real referrers query
 * (a 200 carrying an OCI index); never inferred from an `OCI-Subject` header.
 */
export async function hasReferrersApi(
  client: RegistryClient,
  repository: string,
  subject: Digest,
): Promise<boolean> {
  const known = apiSupport.get(client);
  if (known !== undefined) return known;
  const supported = (await client.listReferrers(repository, subject)) !== undefined;
  apiSupport.set(client, supported);
  return supported;
}

/**
 * Lists the manifests whose `subject` is `subject`: by the referrers API where the registry has it,
 * else from the `sha256-<hex>` tag (an absent tag, or one that is not an image index, means none), as the
 * distribution spec's fallback says. Filters by artifact type itself when the registry did not.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers
 * @example const { manifests } = await findReferrers(client, "team/app", index.digest)
 */
export async function findReferrers(
  client: RegistryClient,
  repository: string,
  subject: Digest,
  artifactType?: string,
): Promise<FoundReferrers> {
  const keep = (d: Descriptor) => artifactType === undefined || d.artifactType === artifactType;
  if (apiSupport.get(client) !== false) {
    const list = await client.listReferrers(repository, subject, artifactType);
    apiSupport.set(client, list !== undefined);
    if (list) return { via: "api", manifests: list.filtered ? list.manifests : list.manifests.filter(keep) };
  }
  const index = await readReferrersIndex(client, repository, subject);
  if (index?.mediaType !== MediaType.OciIndex) return { via: "tag-schema", manifests: [] };
  const parsed = parseManifest(index, `${client.registry}/${repository}:${referrersTag(subject)}`);
  const manifests = parsed.kind === "index" ? parsed.manifests.filter(keep) : [];
  return { via: "tag-schema", manifests, index };
}

/** What the subject's referrers tag holds (normally an OCI image index), or undefined when it is absent. */
export async function readReferrersIndex(
  client: RegistryClient,
  repository: string,
  subject: Digest,
): Promise<RawManifest | undefined> {
  const tag = referrersTag(subject);
  if (!(await client.headManifest(repository, tag))) return undefined;
  return client.getManifest(repository, tag);
}
