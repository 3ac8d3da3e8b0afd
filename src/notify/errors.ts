/**
 * Slack did not take a message. The webhook URL is a secret: it never appears in the message, the fields or a
 * `cause` (the library's error is not chained).
 */
export class SlackPostError extends Error {
  override readonly name = "SlackPostError";
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** Slack's short error text (`invalid_payload`, `no_service`, …), when it sent one. */
  readonly slackError?: string;
  /** True when trying again later may work (5xx, 429, no response). */
  readonly retryable: boolean;

  constructor(status: number, slackError: string | undefined, detail?: string) {
    const what =
      status === 0
        ? `no response${detail ? ` (${detail})` : ""}`
        : `${status}${slackError ? ` ${slackError}` : ""}`;
    super(`Slack webhook did not take the message: ${what}`);
    this.status = status;
    if (slackError !== undefined) this.slackError = slackError;
    this.retryable = status === 0 || status === 429 || status >= 500;
  }
}

/** The configured webhook URL is not one Portcullis posts to (only https, or http on loopback for tests). */
export class SlackWebhookUrlError extends Error {
  override readonly name = "SlackWebhookUrlError";
  constructor(reason: string) {
    super(`Slack webhook URL refused: ${reason}`);
  }
}
