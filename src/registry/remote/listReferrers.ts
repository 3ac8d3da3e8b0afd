import type { Digest } from "../../core/digest.ts";
import { MediaType } from "../../core/mediaTypes.ts";
import { type Descriptor, digestOf, parseManifest } from "../manifest.ts";
import type { Transport } from "../transport/Transport.ts";
import { nextLink } from "./nextLink.ts";

/** One answer of the referrers API: the descriptors, and whether the registry applied the filter. */
export interface ReferrersList {
  readonly manifests: readonly Descriptor[];
  /** True when the registry said (`OCI-Filters-Applied: artifactType`) it filtered by artifact type. */
  readonly filtered: boolean;
}

/** Statuses a registry without the referrers API answers (distribution 2.8: 404 for the unknown route). */
const NO_API = [404, 405, 501];

/**
 * GETs `/v2/<name>/referrers/<digest>` (following `Link: rel="next"` pages). Returns undefined when the
 * registry has no referrers API: anything but a 200 whose body is an OCI image index. An `OCI-Subject`
 * header on a push is not taken as proof; only this answer is.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers
 */
export async function listReferrers(
  transport: Transport,
  repository: string,
  digest: Digest,
  artifactType?: string,
): Promise<ReferrersList | undefined> {
  const query = artifactType === undefined ? "" : `?artifactType=${encodeURIComponent(artifactType)}`;
  const manifests: Descriptor[] = [];
  let filtered = artifactType !== undefined;
  for (let target: string | undefined = `/v2/${repository}/referrers/${digest}${query}`; target; ) {
    const { res, body } = await transport.requestBuffer({
      method: "GET",
      target,
      headers: { accept: MediaType.OciIndex },
      scope: [`repository:${repository}:pull`],
      expect: [200, ...NO_API],
    });
    const page =
      res.statusCode === 200
        ? indexEntries(body, `${transport.registry}/${repository} referrers of ${digest}`)
        : undefined;
    if (page === undefined) return undefined;
    manifests.push(...page);
    const applied = String(res.headers["oci-filters-applied"] ?? "").split(",");
    filtered &&= applied.map((f) => f.trim()).includes("artifactType");
    target = nextLink(res.headers.link as string | string[] | undefined);
  }
  return { manifests, filtered };
}

/**
 * The `manifests` of an OCI image index body (each descriptor validated), or undefined when the body is
 * not an index at all (a registry's catch-all page).
 */
function indexEntries(body: Buffer, what: string): readonly Descriptor[] | undefined {
  let json: { mediaType?: unknown; manifests?: unknown };
  try {
    json = JSON.parse(body.toString("utf8")) as typeof json;
  } catch {
    return undefined;
  }
  if (json.mediaType !== MediaType.OciIndex || !Array.isArray(json.manifests)) return undefined;
  const parsed = parseManifest({ mediaType: MediaType.OciIndex, digest: digestOf(body), bytes: body }, what);
  return parsed.kind === "index" ? parsed.manifests : undefined;
}
