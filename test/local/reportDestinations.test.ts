import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/ValidationError.ts";
import { reportDestinations } from "../../src/local/adapters/reportDestinations.ts";

const reportsDir = "/tmp/portcullis-unused";
const token = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";

describe("reportDestinations", () => {
  it("writes check runs and Slack previews to files when nothing is configured", async () => {
    const d = reportDestinations({ env: {}, reportsDir });
    expect(d.files).toBeDefined();
    expect(d.preview).toBeDefined();
    expect(await d.github()).toBe(d.files);
    expect(await d.slack()).toBe(d.preview);
    expect(d.notes).toEqual([]);
  });

  it("posts commit statuses with GITHUB_TOKEN and --github-repo, on the host of GITHUB_API_URL", async () => {
    const d = reportDestinations({
      env: { GITHUB_TOKEN: token, GITHUB_API_URL: "https://ghe.example.com/api/v3" },
      githubRepo: "octo/shop",
      reportsDir,
    });
    expect(d.files).toBeUndefined();
    expect(d.githubLabel).toBe("commit statuses on ghe.example.com/octo/shop");
    expect((await d.github())?.kind).toBe("statuses");
  });

  it("creates check runs as a GitHub App from the environment", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const env = { GITHUB_APP_ID: "12", GITHUB_APP_INSTALLATION_ID: "34", GITHUB_APP_PRIVATE_KEY: pem };
    const d = reportDestinations({ env, githubRepo: "octo/shop", reportsDir });
    expect(d.githubLabel).toBe("check runs on github.com/octo/shop");
    expect((await d.github())?.kind).toBe("checks");
  });

  it("keeps to files, and says why, when credentials come without --github-repo", () => {
    const d = reportDestinations({ env: { GITHUB_TOKEN: token }, reportsDir });
    expect(d.files).toBeDefined();
    expect(d.notes).toEqual([expect.stringMatching(/no --github-repo OWNER\/REPO/)]);
  });

  it("posts to Slack when SLACK_WEBHOOK_URL is set", async () => {
    const d = reportDestinations({ env: { SLACK_WEBHOOK_URL: "http://127.0.0.1:9/hook" }, reportsDir });
    expect(d.preview).toBeUndefined();
    expect(d.slackLabel).toMatch(/posted to Slack/);
  });

  it("refuses a malformed token without echoing it", () => {
    const error = (() => {
      try {
        reportDestinations({ env: { GITHUB_TOKEN: "not a token!" }, githubRepo: "octo/shop", reportsDir });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.message).toMatch(/environment\.token/);
    expect(error?.message).not.toContain("not a token!");
  });
});
