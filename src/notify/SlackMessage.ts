/** Block Kit limits: https://api.slack.com/reference/block-kit/blocks */
export const SLACK_LIMITS = {
  headerChars: 150,
  sectionChars: 3000,
  fieldChars: 2000,
  fields: 10,
  contextElements: 10,
  blocks: 50,
  /** The top-level `text` fallback (notifications, screen readers); Slack truncates long ones. */
  textChars: 3000,
} as const;

/** A plain or mrkdwn text object. */
export interface SlackText {
  readonly type: "plain_text" | "mrkdwn";
  readonly text: string;
  readonly emoji?: boolean;
}

/** The blocks Portcullis sends. */
export type SlackBlock =
  | { readonly type: "header"; readonly text: SlackText & { readonly type: "plain_text" } }
  | { readonly type: "section"; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: "context"; readonly elements: readonly SlackText[] }
  | { readonly type: "divider" };

/** A message for an incoming webhook: a fallback text and Block Kit blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}
