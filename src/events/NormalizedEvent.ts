import type { BuildStateChanged } from "./codeBuildBuildStateChange.ts";
import type { ImageDeleted, ImagePushed } from "./ecrImageAction.ts";
import type { ImageReplicated } from "./ecrReplicationAction.ts";
import type { FindingChanged } from "./inspector2Finding.ts";
import type { PortcullisNormalized } from "./portcullisContracts.ts";
import type { ScanCompleted } from "./scanCompleted.ts";

/** Every event Portcullis accepts, normalized; discriminated on `kind`. */
export type NormalizedEvent =
  | ImagePushed
  | ImageDeleted
  | ScanCompleted
  | FindingChanged
  | ImageReplicated
  | BuildStateChanged
  | PortcullisNormalized;

/** The `kind` of a {@link NormalizedEvent}. */
export type EventKind = NormalizedEvent["kind"];
