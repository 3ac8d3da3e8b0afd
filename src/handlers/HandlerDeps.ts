import type { Signer } from "../attest/Signer.ts";
import type { Clock, Log, MetricsSink } from "../core/index.ts";
import type { Policy } from "../policy/index.ts";
import { nextActionDefaults, type Scanner } from "../release/index.ts";
import { type CandidateStore, storeDefaults } from "../store/index.ts";
import type { RefFilter, TagRules } from "../tags/index.ts";
import type { EventPublisher, FindingsSource, NotificationPublisher, RegistryDirectory } from "./ports.ts";

/** What the handlers are configured with (from portcullis.config.ts and the policy file: settingsFromConfig). */
export interface HandlerSettings {
  /** The AWS account Portcullis runs in: events from (or naming) another account are refused. */
  readonly account: string;
  /** Regions whose registry Portcullis gates (the primary region); events from other regions are refused. */
  readonly regions: readonly string[];
  /** Repositories Portcullis gates; events about other repositories are refused. */
  readonly repositories: readonly string[];
  /** Regions a promoted image is copied to (the candidate's own region is left out). */
  readonly replicaRegions: readonly string[];
  /** The gate policy; per-repository overrides apply. */
  readonly policy: Policy;
  /** Overrides of the promotion tag rules. */
  readonly tagRules?: Partial<TagRules>;
  /** Refs that may be promoted. A build of another ref is gated and reported, but gets no promotion tags. */
  readonly refFilter?: RefFilter;
  /** Which scanning the registry uses; names the scanner of a result the reconciler polled. */
  readonly scanner?: Scanner;
  /** How long a claimed side effect (a promotion, a notification) is held before another invocation may retry it. */
  readonly effectLeaseSeconds?: number;
  /** Conditional writes tried per transition before giving up on a hot candidate. */
  readonly maxSaveAttempts?: number;
  /** Most blocking (and allowlisted) findings kept in a stored decision. */
  readonly maxFindings?: number;
  /** Replication attempts per region before giving up (the replicate handler's `maxReplicationAttempts`). */
  readonly maxReplicationAttempts?: number;
  /** How old a region's last failed replication must be before the reconciler asks for another attempt. */
  readonly replicationRetryMinutes?: number;
  /**
   * Waits (ms) before each re-read of findings that lag the scan's counts, within one invocation; the
   * reconciler's schedule reads again after that, until the scan deadline.
   */
  readonly findingsRereadMs?: readonly number[];
  /**
   * Signed verification summaries: `required` makes a function without the signer leave a decision's
   * attestation (and the promotion's announcement after it) to one that has it (the reconciler); the names
   * default to attestDecision's.
   */
  readonly attestation?: {
    readonly required?: boolean;
    readonly verifier?: string;
    readonly version?: string;
    readonly policyUri?: string;
    /** How `portcullis verify` names the key in reports (default `--kms-key-id <ARN>` for a KMS signer). */
    readonly verifyKey?: string;
  };
}

/** Defaults of the optional {@link HandlerSettings}. */
export const handlerDefaults = {
  scanner: "basic",
  effectLeaseSeconds: 300,
  maxSaveAttempts: storeDefaults.maxSaveAttempts,
  maxFindings: 25,
  maxReplicationAttempts: nextActionDefaults.maxReplicationAttempts,
  replicationRetryMinutes: 15,
  findingsRereadMs: [2000, 5000, 10000] as readonly number[],
} as const satisfies Partial<HandlerSettings>;

/**
 * What every handler factory takes: the ports (I/O), the state store and the settings. The Lambda entry
 * points wire AWS adapters, the local pipeline loopback ones; the handlers cannot tell the difference.
 */
export interface HandlerDeps {
  readonly store: CandidateStore;
  readonly registry: RegistryDirectory;
  readonly findings: FindingsSource;
  readonly events: EventPublisher;
  readonly notifications: NotificationPublisher;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: MetricsSink;
  readonly settings: HandlerSettings;
  /** Signs each decision's verification summary (KMS in AWS, a key file locally); none: decisions are not attested. */
  readonly signer?: Signer;
}
