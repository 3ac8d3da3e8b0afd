import type { Digest } from "../../core/index.ts";
import type { DecisionOutcome, PromotedWatch, Replica } from "../../release/index.ts";
import type { BusEvent } from "../bus/LocalEventBus.ts";
import type { ScannedImage } from "../ecr/LocalEcr.ts";
import type { AfterPromotion, Expectation } from "../scenario/loadScenario.ts";
import type { RegionImage } from "./inspectRegions.ts";
import type { FinishReason } from "./LocalPipeline.ts";

/** Where a rendered report or notification went. */
export interface Delivered {
  readonly what: string;
  /** A URL (GitHub, Slack) or a file in the state folder. */
  readonly where: string;
  /** Rendered text to show in the terminal (a local preview), if any. */
  readonly preview?: string;
}

/** What verifying the decision's signed summary in one region found. */
export interface RegionAttestation {
  readonly region: string;
  readonly registry: string;
  /** Verified: the signature and subject hold (`passed` is the decision's result); otherwise why not. */
  readonly verified: boolean;
  readonly passed: boolean;
  readonly attestation?: string;
  readonly reason?: string;
  /** The command that checks it by hand. */
  readonly command: string;
}

/** Everything a local run did and found, for the summary, the exit code and the tests. */
export interface RunSummary {
  readonly scenario: {
    readonly name: string;
    readonly description?: string;
    readonly expect?: Expectation;
    readonly policyFile: string;
    /** What the scenario expects of the promoted image later, when it plays that. */
    readonly expectAfter?: AfterPromotion["expect"];
  };
  readonly image: {
    readonly repository: string;
    readonly buildTag: string;
    readonly digest: Digest;
    readonly commit: string;
    readonly ref: string;
    readonly platforms: readonly ScannedImage[];
  };
  /** The handlers' decision, as the "Release Decided" event said it. */
  readonly decision?: { readonly outcome: DecisionOutcome; readonly reasons: readonly string[] };
  /** Tags the gate moved onto the index (the candidate's stored promotion). */
  readonly promotedTags: readonly string[];
  /** The candidate's record of each replica region. */
  readonly replicas: Readonly<Record<string, Replica>>;
  /** What the reconciler recorded on the promoted image afterwards (countdown, demotion, end of monitoring). */
  readonly watch?: PromotedWatch;
  /** What each region's registry actually holds, read back after the run. */
  readonly regions: readonly RegionImage[];
  /** `portcullis verify` of the index in each region that should hold it (absent when the run signs nothing). */
  readonly attestations?: readonly RegionAttestation[];
  readonly finish: FinishReason;
  /** Every Portcullis event the handlers published, in order (e.g. exactly one "Release Decided"). */
  readonly published: readonly BusEvent[];
  readonly reconcileRuns: number;
  readonly reports: readonly Delivered[];
  readonly notifications: readonly Delivered[];
  readonly deadLetters: readonly { readonly rule: string; readonly event: string; readonly error: string }[];
  /** Things that broke (the run exits 1 when there is any). */
  readonly problems: readonly string[];
  /** Things worth knowing that did not break the run (e.g. a handler not available yet). */
  readonly notes: readonly string[];
  /** What an operator did after the releases (a scenario's `operate`): the commands' output, shown after the summary. */
  readonly operations?: string;
}
