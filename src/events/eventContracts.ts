import { fail, ok, type Result } from "../core/index.ts";
import { codeBuildBuildStateChangeContract } from "./codeBuildBuildStateChange.ts";
import type { EventContract } from "./EventContract.ts";
import { ecrImageActionContract } from "./ecrImageAction.ts";
import { ecrImageScanContract } from "./ecrImageScan.ts";
import { ecrReplicationActionContract } from "./ecrReplicationAction.ts";
import { inspector2FindingContract } from "./inspector2Finding.ts";
import { inspector2ScanContract } from "./inspector2Scan.ts";
import { portcullisContracts } from "./portcullisContracts.ts";

/** Every (source, detail-type) Portcullis accepts. Anything else is refused. */
export const eventContracts: readonly EventContract[] = [
  ecrImageActionContract,
  ecrImageScanContract,
  ecrReplicationActionContract,
  inspector2ScanContract,
  inspector2FindingContract,
  codeBuildBuildStateChangeContract,
  ...portcullisContracts,
];

/**
 * Finds the contract for a source and detail-type, or says which field is unknown and what is accepted.
 * @example findContract("aws.ecr", "ECR Image Scan") // ok(ecrImageScanContract)
 */
export function findContract(source: string, detailType: string): Result<EventContract> {
  const ofSource = eventContracts.filter((c) => c.source === source);
  if (ofSource.length === 0) {
    const sources = [...new Set(eventContracts.map((c) => c.source))].join(", ");
    return fail([
      { field: "source", value: source, message: `is not a source Portcullis accepts (${sources})` },
    ]);
  }
  const contract = ofSource.find((c) => c.detailType === detailType);
  if (contract) return ok(contract);
  const types = ofSource.map((c) => c.detailType).join(", ");
  const message = `is not a detail-type Portcullis accepts from ${source} (${types})`;
  return fail([{ field: "detail-type", value: detailType, message }]);
}
