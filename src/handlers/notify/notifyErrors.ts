/** Another invocation is sending this notification and has not finished within the wait: retry later. */
export class NotificationBusyError extends Error {
  override readonly name = "NotificationBusyError";
  constructor(
    readonly notificationId: string,
    readonly leaseUntil: string,
  ) {
    super(
      `notification ${notificationId} is being sent by another invocation (claim held until ${leaseUntil}); retry later`,
    );
  }
}
