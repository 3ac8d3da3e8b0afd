import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileCheckRuns } from "../../src/local/adapters/FileCheckRuns.ts";
import { FileSlackPoster, previewSlackMessage } from "../../src/local/adapters/FileSlackPoster.ts";
import type { CheckRunRender } from "../../src/report/index.ts";

const target = { owner: "octo", repo: "shop", sha: "a".repeat(40) };
const render = (overrides: Partial<CheckRunRender> = {}): CheckRunRender => ({
  name: "Portcullis: team/app",
  status: "in_progress",
  title: "Scanning 2 platforms",
  summary: "## ⏳ Scanning 2 platforms\n\nwaiting",
  text: "",
  external_id: `sha256:${"b".repeat(64)}`,
  ...overrides,
});

describe("FileCheckRuns and FileSlackPoster", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-reports-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps one run per external id and commit, updated in place like the Checks API, as markdown", async () => {
    const checks = new FileCheckRuns(join(dir, "reports"));
    const first = await checks.createOrUpdateCheckRun(target, render());
    const second = await checks.createOrUpdateCheckRun(
      target,
      render({
        status: "completed",
        conclusion: "failure",
        title: "Rejected",
        summary: "## ❌ Rejected\n\nwhy",
      }),
    );
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, run: { id: first.run.id, conclusion: "failure" } });
    expect(checks.runs).toHaveLength(1);
    const markdown = await readFile(checks.runs[0]?.file ?? "", "utf8");
    expect(markdown).toBe(
      "# Portcullis: team/app on octo/shop@aaaaaaa (completed: failure)\n\n## ❌ Rejected\n\nwhy\n\n\n",
    );
    const elsewhere = await checks.createOrUpdateCheckRun({ ...target, sha: "c".repeat(40) }, render());
    expect(elsewhere.created).toBe(true);
    await expect(checks.updateCheckRun(target, 99, render())).rejects.toThrow(/no check run 99/);
    // A new run over the same folder starts afresh: it lists no earlier run.
    expect(new FileCheckRuns(join(dir, "reports")).runs).toEqual([]);
    // A later process that resumes the folder (portcullis rollback --local) updates the kept run by its id.
    const later = new FileCheckRuns(join(dir, "reports"), { resume: true });
    const updated = await later.updateCheckRun(target, first.run.id, render({ title: "Rolled back here" }));
    expect(updated.id).toBe(first.run.id);
    expect(later.runs).toHaveLength(2);
    await expect(later.updateCheckRun(target, 99, render())).rejects.toThrow(/no check run 99/);
  });

  it("writes each Slack message as Block Kit JSON and previews it as text", async () => {
    const slack = new FileSlackPoster(join(dir, "reports"));
    const message = {
      text: "Rejected: team/app",
      blocks: [
        { type: "header" as const, text: { type: "plain_text" as const, text: "❌ Rejected: team/app" } },
        { type: "section" as const, fields: [{ type: "mrkdwn" as const, text: "*Ref*\n`main`" }] },
        { type: "divider" as const },
        {
          type: "context" as const,
          elements: [
            { type: "mrkdwn" as const, text: "a" },
            { type: "mrkdwn" as const, text: "b" },
          ],
        },
      ],
    };
    await slack.post(message);
    expect(JSON.parse(await readFile(slack.messages[0]?.file ?? "", "utf8"))).toEqual(message);
    expect(previewSlackMessage(message)).toBe("*❌ Rejected: team/app*\n*Ref*\n`main`\n―――\na  ·  b");
  });
});
