import type { Finding } from "./Finding.ts";

/** Identity of a finding for de-duplication: vulnerability id + package + installed version. */
export function findingKey(finding: Pick<Finding, "id" | "package" | "installedVersion">): string {
  return [finding.id, finding.package ?? "", finding.installedVersion ?? ""].join("\u0000");
}
