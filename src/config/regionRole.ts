import { fail, ok, type Result } from "../core/result.ts";
import type { PortcullisConfig } from "./PortcullisConfig.ts";

/** What a deployment region holds: everything (primary) or a copy of the registry (replica). */
export type RegionRole = "primary" | "replica";

/**
 * The role of a region in the configuration. SST v2 deploys an app to one region at a time, so the primary
 * region gets state, registry and build, and each `sst deploy --region <replica>` gets the same registry.
 * A region in neither list is refused, naming it.
 * @example regionRole(config, "eu-west-1") // => ok("replica")
 */
export function regionRole(
  config: Pick<PortcullisConfig, "primaryRegion" | "replicaRegions">,
  region: string,
): Result<RegionRole> {
  if (region === config.primaryRegion) return ok("primary");
  if (config.replicaRegions.includes(region)) return ok("replica");
  const replicas = config.replicaRegions.length > 0 ? config.replicaRegions.join(", ") : "none";
  return fail([
    {
      field: "region",
      value: region,
      message: `is neither primaryRegion (${config.primaryRegion}) nor one of replicaRegions (${replicas}): deploy with --region set to one of them`,
    },
  ]);
}
