export * from "./errors.ts";
export * from "./notificationMessage.ts";
export * from "./renderSlackMessage.ts";
export * from "./SlackMessage.ts";
export * from "./slackText.ts";
export * from "./slackWebhook.ts";
