import { describe, expect, it } from "vitest";
import {
  type NotificationMessage,
  parseNotificationMessage,
  renderSlackMessage,
  SLACK_LIMITS,
  type SlackMessage,
} from "../../src/notify/index.ts";
import { COMMIT } from "../report/candidates.ts";
import { promotion, rejection, replicationFailure } from "./notifications.ts";

function parsed(body: unknown): NotificationMessage {
  const result = parseNotificationMessage(body);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

function allText(message: SlackMessage): string {
  return JSON.stringify(message.blocks);
}

function withinLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const block of message.blocks) {
    if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerChars);
    if (block.type === "section") {
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldChars);
    }
  }
}

describe("renderSlackMessage", () => {
  it("tells a rejection with repository, commit, tags not moved, reasons and the top blocking findings", () => {
    const message = renderSlackMessage(parsed(rejection(8).body));
    expect(message.text).toBe(
      `Rejected: team/app (commit ${COMMIT.slice(0, 12)}): linux/amd64: 8 fixable HIGH findings, limit 0`,
    );
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "❌ Rejected: team/app", emoji: true },
    });
    const text = allText(message);
    expect(text).toContain("*Tags (not moved)*\\n`main` `latest`");
    expect(text).toContain(
      "• *HIGH* <https://nvd.nist.gov/vuln/detail/CVE-2024-1000|CVE-2024-1000> in `pkg0 1.0` → fix `1.1`",
    );
    expect(text).toContain("_…and 3 more blocking findings_");
    expect(text).toContain(
      `<https://github.com/org/app/commit/${COMMIT}/checks|View the check run on GitHub>`,
    );
    withinLimits(message);
  });

  it("tells a promotion with the tags moved", () => {
    const message = renderSlackMessage(parsed(promotion().body));
    expect(message.blocks[0]).toMatchObject({ text: { text: "🚀 Promoted: team/app as main, latest" } });
    expect(allText(message)).toContain("*Tags*\\n`main` `latest`");
    expect(allText(message)).toContain(
      '*Roll back*\\n`npx portcullis rollback team/app --to previous --tags main,latest --reason \\"…\\"`',
    );
  });

  it("tells a rollback: who, why, where the tags were, and how to finish a region that did not confirm", () => {
    const to = `sha256:${"c".repeat(64)}`;
    const message = renderSlackMessage(
      parsed({
        ...(promotion().body as object),
        kind: "release-rolled-back",
        candidate: { region: "us-east-1", repository: "team/app", digest: to },
        tags: ["latest"],
        reasons: ["alice: p99 latency doubled"],
        from: { latest: `sha256:${"d".repeat(64)}` },
        by: "alice",
        forced: true,
        failedRegions: ["eu-west-1"],
      }),
    );
    expect(message.blocks[0]).toMatchObject({
      text: { text: "⏪ Rolled back (forced): team/app latest to cccccccccccc" },
    });
    const text = allText(message);
    expect(text).toContain("By alice\\n`latest` was `sha256:dddddddddddd…`");
    expect(text).toContain(
      `*Not confirmed in* \`eu-west-1\`; finish it with \`npx portcullis rollback team/app --to ${to} --tags latest --reason \\"…\\"\``,
    );
    expect(text).toContain("alice: p99 latency doubled");
  });

  it("says the decision is signed and shows the verify command, escaped, when the body carries it", () => {
    const verify =
      "npx portcullis verify 1.dkr.ecr.us-east-1.amazonaws.com/team/app@sha256:ab --kms-key-id arn:aws:kms:us-east-1:1:key/k";
    const body = { ...(promotion().body as object), attestation: { result: "PASSED", verify } };
    const message = renderSlackMessage(parsed(body));
    expect(allText(message)).toContain(
      `🔏 Signed verification summary (PASSED) attached to the index · verify: \`${verify}\``,
    );
    const sneaky = {
      ...(promotion().body as object),
      attestation: { result: "FAILED", verify: "x <!channel> `y`" },
    };
    expect(allText(renderSlackMessage(parsed(sneaky)))).toContain("verify: `x &lt;!channel&gt; 'y'`");
    expect(allText(renderSlackMessage(parsed(promotion().body)))).not.toContain("🔏");
    withinLimits(message);
  });

  it("tells a replication failure with the region, attempts and the error", () => {
    const message = renderSlackMessage(parsed(replicationFailure().body));
    expect(message.blocks[0]).toMatchObject({
      text: { text: "⚠️ Replication failed: team/app to ap-south-1" },
    });
    expect(allText(message)).toContain(
      "failed after 1 attempt:\\n```AccessDenied: not authorized to perform ecr:PutImage```",
    );
  });

  it("tells a new finding on a promoted image, and a demotion with where the tags went", () => {
    const body = {
      ...(promotion().body as object),
      kind: "finding-on-promoted-image",
      outcome: "finding",
      finding: {
        id: "CVE-2026-1",
        severity: "CRITICAL",
        title: "heap overflow in zlib",
        platform: `sha256:${"a".repeat(64)}`,
        findingArn: "arn:aws:inspector2:us-east-1:123456789012:finding/abc",
        sourceUrl: "https://nvd.nist.gov/vuln/detail/CVE-2026-1",
      },
      action: "demote",
      demotion: [
        { tag: "latest", digest: `sha256:${"b".repeat(64)}` },
        { tag: "main", digest: null },
      ],
    };
    const message = renderSlackMessage(parsed(body));
    expect(message.blocks[0]).toMatchObject({ text: { text: "⬇️ Demoted: team/app (CRITICAL CVE-2026-1)" } });
    const text = allText(message);
    expect(text).toContain(
      "*CRITICAL* <https://nvd.nist.gov/vuln/detail/CVE-2026-1|CVE-2026-1>: heap overflow in zlib",
    );
    expect(text).toContain("Tags moved back: `latest` → `sha256:bbbbbbbbbbbb…`, `main` (left as it was)");
  });

  it("escapes untrusted text so it cannot mention channels, link or break formatting", () => {
    const body = { ...(rejection(1).body as object), reasons: ["<!channel> pkg <https://evil|click> & co"] };
    const text = allText(renderSlackMessage(parsed(body)));
    expect(text).toContain("&lt;!channel&gt; pkg &lt;https://evil|click&gt; &amp; co");
    expect(text).not.toContain("<!channel>");
  });

  it("stays within Block Kit limits with very long inputs", () => {
    const body = {
      ...(rejection(1).body as object),
      tags: Array.from({ length: 500 }, (_, i) => `tag-${i}`),
      reasons: Array.from({ length: 50 }, () => "r".repeat(5000)),
      git: { commit: COMMIT, ref: `refs/heads/${"x".repeat(1000)}`, source: "https://github.com/org/app" },
    };
    const message = renderSlackMessage(parsed(body));
    withinLimits(message);
    expect(allText(message)).toContain("_…and 45 more_");
  });

  it("refuses a body it cannot read, naming the field", () => {
    const result = parseNotificationMessage({ kind: "release-rejected", candidate: { region: "us-east-1" } });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.map((i) => i.field)).toEqual(
        expect.arrayContaining(["message.candidate.repository", "message.outcome"]),
      );
  });
});
