import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SlackBlock, SlackMessage, SlackPoster } from "../../notify/index.ts";

/** A message this adapter received, and the file holding its Block Kit JSON. */
export interface PreviewedMessage {
  readonly message: SlackMessage;
  readonly file: string;
}

/**
 * {@link SlackPoster} without a webhook: each message the notify handler posts is written as Block Kit JSON
 * (`slack-<n>.json`, pasteable into Slack's Block Kit Builder; the next free number, so a later poster over the
 * same folder, e.g. `portcullis rollback --local`, adds to the run's messages) and kept for a text preview.
 * @example const slack = new FileSlackPoster(".portcullis/reports"); createNotifyHandler({ …, slack: async () => slack })
 */
export class FileSlackPoster implements SlackPoster {
  readonly messages: PreviewedMessage[] = [];

  constructor(private readonly dir: string) {}

  async post(message: SlackMessage): Promise<void> {
    let n = this.messages.length + 1;
    while (existsSync(join(this.dir, `slack-${n}.json`))) n++;
    const file = join(this.dir, `slack-${n}.json`);
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify({ text: message.text, blocks: message.blocks }, null, 2)}\n`);
    this.messages.push({ message, file });
  }
}

/** A Block Kit message as terminal text: header, sections and fields, context lines. */
export function previewSlackMessage(message: SlackMessage): string {
  return message.blocks.flatMap(blockLines).join("\n");
}

function blockLines(block: SlackBlock): string[] {
  switch (block.type) {
    case "header":
      return [`*${block.text.text}*`];
    case "section":
      return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((field) => field.text)];
    case "context":
      return [block.elements.map((element) => element.text).join("  ·  ")];
    case "divider":
      return ["―――"];
  }
}
