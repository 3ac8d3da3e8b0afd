/** Reasons PutEvents gave for entries it did not accept, as EventBridge reports them per entry. */
export interface FailedEntry {
  /** The Portcullis detail-type of the entry. */
  readonly detailType: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/**
 * Some events were still refused by EventBridge after the retries: nothing downstream will see them, so
 * the handler must fail (and be retried) rather than report success.
 */
export class EventPublishError extends Error {
  override readonly name = "EventPublishError";
  readonly failed: readonly FailedEntry[];

  constructor(busName: string, failed: readonly FailedEntry[], attempts: number) {
    const first = failed[0];
    const why = first ? `${first.detailType}: ${first.errorCode} ${first.errorMessage}` : "unknown";
    super(
      `publishing to event bus ${busName}: ${failed.length} event(s) refused after ${attempts} attempts (${why})`,
    );
    this.failed = failed;
  }
}

/** An event too large for PutEvents (256 KiB per entry): a bug in what is published, never retried. */
export class EventTooLargeError extends Error {
  override readonly name = "EventTooLargeError";
  constructor(
    readonly detailType: string,
    readonly bytes: number,
  ) {
    super(`${detailType} event is ${bytes} bytes; EventBridge accepts at most 262144 per entry`);
  }
}

/** Creating or configuring an ECR repository in a replica region failed. */
export class RepositoryProvisioningError extends Error {
  override readonly name = "RepositoryProvisioningError";
  constructor(
    readonly region: string,
    readonly repository: string,
    readonly step: "create" | "lifecycle",
    options: { cause: unknown },
  ) {
    super(
      `${step === "create" ? "creating" : "setting the lifecycle policy of"} ${repository} in ${region}: ${message(options.cause)}`,
      options,
    );
  }
}

/** DescribeImageScanFindings failed for an image (other than "no scan yet", which is a report). */
export class ScanFindingsError extends Error {
  override readonly name = "ScanFindingsError";
  constructor(
    readonly region: string,
    readonly repository: string,
    readonly digest: string,
    options: { cause: unknown },
  ) {
    super(
      `reading scan findings of ${repository}@${digest} in ${region}: ${message(options.cause)}`,
      options,
    );
  }
}

/** A secret could not be read or is not in the expected shape; the message never contains its value. */
export class SecretError extends Error {
  override readonly name = "SecretError";
  constructor(
    readonly secretName: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`secret ${secretName}: ${reason}`, options);
  }
}

function message(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

/** A notification larger than SNS accepts (256 KiB): a bug in what is published, never retried. */
export class NotificationTooLargeError extends Error {
  override readonly name = "NotificationTooLargeError";
  constructor(
    readonly notificationId: string,
    readonly bytes: number,
  ) {
    super(`notification ${notificationId} is ${bytes} bytes; SNS accepts at most 262144`);
  }
}
