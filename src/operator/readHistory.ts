import { fail, ok, type Result } from "../core/result.ts";
import { type TagHistoryView, tagHistoryView } from "./historyView.ts";
import type { OperatorPorts } from "./OperatorPorts.ts";

/**
 * A tag's history (kept in the primary region) and where the tag points in every region now, read from each
 * registry; a region that does not answer is shown with its error and `unreachable` is set. An unconfigured
 * repository, or a tag Portcullis never moved and no region holds, is an issue naming it. A region in `offline`
 * (a local registry that is not running) is not read: it is shown with the reason, and is not unreachable.
 * @example await readHistory(ports, "team/app", "latest")
 */
export async function readHistory(
  ports: Pick<OperatorPorts, "store" | "registry" | "settings">,
  repository: string,
  tag: string,
  offline: Readonly<Record<string, string>> = {},
): Promise<Result<{ view: TagHistoryView; unreachable: boolean }>> {
  const { regions: configured, replicaRegions, repositories } = ports.settings;
  const primary = configured[0] as string;
  if (!repositories.includes(repository))
    return fail([
      { field: "REPOSITORY", value: repository, message: `is not configured (${repositories.join(", ")})` },
    ]);
  const history = await ports.store.getTagHistory({ region: primary, repository }, tag);
  const regions: Record<string, string | null> = {};
  let unreachable = false;
  for (const region of [primary, ...replicaRegions]) {
    const why = offline[region];
    if (why !== undefined) {
      regions[region] = `not read: ${why}`;
      continue;
    }
    try {
      regions[region] =
        (await ports.registry.clientFor(region).headManifest(repository, tag))?.digest ?? null;
    } catch (error) {
      unreachable = true;
      regions[region] = `unreachable: ${(error as Error).message}`;
    }
  }
  if (
    history.entries.length === 0 &&
    Object.entries(regions).every(([region, d]) => d === null || offline[region] !== undefined)
  )
    return fail([{ field: "TAG", value: tag, message: `is not a tag of ${repository} in any region` }]);
  return ok({ view: tagHistoryView(repository, tag, primary, history.entries, regions), unreachable });
}
