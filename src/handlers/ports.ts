/**
 * The I/O a Portcullis handler may do, as small interfaces. The Lambda entry points (functions/) wire AWS
 * adapters into them; the local pipeline (src/local) and the tests wire loopback ones. Handler factories take
 * these and nothing else, so the decision path is the same code everywhere.
 */
import type { CandidateKey } from "../core/candidateKey.ts";
import type { PortcullisEvent } from "../events/index.ts";
import type { ScanFindings } from "../findings/index.ts";
import type { RegistryClient } from "../registry/index.ts";

/** Publishes Portcullis's own events (EventBridge PutEvents on the custom bus; the in-process bus locally). */
export interface EventPublisher {
  publish(events: readonly PortcullisEvent[]): Promise<void>;
}

/** A platform image's full scan result: every page of DescribeImageScanFindings merged (or a local file). */
export interface FindingsSource {
  scanReport(image: CandidateKey & { readonly platform: string }): Promise<ScanFindings>;
}

/** Registry clients per region: ECR's `<account>.dkr.ecr.<region>.amazonaws.com`, or a loopback registry. */
export interface RegistryDirectory {
  /** The client for the registry that serves `region`. */
  clientFor(region: string): RegistryClient;
}

/** Makes sure a repository exists in a region with the primary's settings (ECR CreateRepository …). */
export interface RepositoryProvisioner {
  ensureRepository(region: string, repository: string): Promise<"created" | "exists">;
}

/** One notification for the SNS topic: a subject, a JSON body and attributes subscribers filter on. */
export interface Notification {
  readonly subject: string;
  readonly body: unknown;
  /** e.g. `{ repository, outcome, severity }` (SNS message attributes). */
  readonly attributes: Readonly<Record<string, string>>;
  /** De-duplication id: one notification per candidate and outcome. */
  readonly id: string;
}

/** Publishes notifications (SNS; locally, straight to the notify handler). */
export interface NotificationPublisher {
  publish(notification: Notification): Promise<void>;
}
