import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createGitHubReporter,
  type GitHubCheckRuns,
  type GitHubClientOptions,
  type GitHubCommitStatuses,
  type GitHubCredentials,
  GitHubNotFoundError,
  GitHubPermissionError,
  GitHubRateLimitError,
  GitHubValidationError,
  gitHubReporterProvider,
} from "../../src/report/github/index.ts";
import { renderCheckRun, renderCommitStatus } from "../../src/report/index.ts";
import { testGitHubApp } from "../support/githubApp.ts";
import { type GitHubServer, startGitHubServer } from "../support/githubServer.ts";
import { COMMIT, promoted, rejected, scanned } from "./candidates.ts";

const app = testGitHubApp();
const TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
const target = { owner: "org", repo: "app", sha: COMMIT };
let github: GitHubServer;
let sleeps: number[];

beforeAll(async () => {
  github = await startGitHubServer({
    appId: app.credentials.appId,
    installationId: app.credentials.installationId,
    publicKey: app.publicKey,
    repositories: { "org/app": [COMMIT] },
    tokens: [TOKEN],
  });
});
afterAll(() => github.stop());
beforeEach(() => {
  sleeps = [];
  github.setChecksPermission(true);
});
afterEach(() => {
  expect(github.violations).toEqual([]);
});

function options(): GitHubClientOptions {
  return { baseUrl: github.url, retryBaseMs: 1, sleep: async (ms) => void sleeps.push(ms) };
}

function checks(): GitHubCheckRuns {
  const reporter = createGitHubReporter(app.credentials, options());
  if (reporter.kind !== "checks") throw new Error("expected check runs for an App");
  return reporter;
}

function requestsSince(start: number) {
  return github.requests.slice(start).map((r) => `${r.method} ${r.template}`);
}

describe("GitHub check runs through a GitHub App", () => {
  it("creates the run once, then updates the same run by external id instead of adding another", async () => {
    const client = checks();
    const first = await client.createOrUpdateCheckRun(target, renderCheckRun({ candidate: scanned() }));
    const second = await client.createOrUpdateCheckRun(target, renderCheckRun({ candidate: rejected(2) }));
    expect(first.created).toBe(true);
    expect(second).toMatchObject({
      created: false,
      run: { id: first.run.id, status: "completed", conclusion: "failure" },
    });
    const runs = github.checkRuns("org/app").filter((r) => r.external_id === scanned().key.digest);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.output.title).toBe("Rejected: 2 blocking findings");
  });

  it("authenticates with a JWT signed by the App key and reuses the installation token", async () => {
    const before = github.tokensIssued();
    const client = checks();
    await client.listCheckRuns(target, "Portcullis: team/app");
    await client.listCheckRuns(target, "Portcullis: team/app");
    expect(github.tokensIssued()).toBe(before + 1);
    const [tokenRequest] = github.requests.filter((r) => r.template?.endsWith("/access_tokens")).slice(-1);
    expect(tokenRequest?.authorization).toMatch(/^bearer ey/);
    expect(tokenRequest?.path).toBe(`/app/installations/${app.credentials.installationId}/access_tokens`);
  });

  it("sends more than 50 annotations 50 per request, all kept", async () => {
    const run = renderCheckRun({
      candidate: rejected(120, { maxFindings: 120 }),
      annotationPath: "Dockerfile",
    });
    const start = github.requests.length;
    const { run: created } = await checks().createOrUpdateCheckRun(
      { ...target },
      { ...run, external_id: "annotations-test" },
    );
    const bodies = github.requests
      .slice(start)
      .filter((r) => r.method !== "GET" && !r.template?.endsWith("access_tokens"));
    const counts = bodies.map(
      (r) => ((r.body as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length,
    );
    expect(counts).toEqual([50, 50, 20]);
    expect(github.checkRuns().find((r) => r.id === created.id)?.annotations).toHaveLength(120);
  });

  it("stays within GitHub's 65535-character output limit, with the truncation note", async () => {
    const run = renderCheckRun({ candidate: rejected(2000, { maxFindings: 2000 }) });
    await checks().createOrUpdateCheckRun(target, { ...run, external_id: "truncation-test" });
    const stored = github.checkRuns().find((r) => r.external_id === "truncation-test");
    expect(stored?.output.text?.length).toBeLessThanOrEqual(65535);
    expect(stored?.output.text).toMatch(/> \*\*Truncated:\*\* \d+ characters left out/);
  });

  it("says which permission is missing on 403 and does not retry", async () => {
    github.setChecksPermission(false);
    const client = checks();
    await client.listCheckRuns(target, "warm-up").catch(() => undefined);
    const start = github.requests.length;
    const error = await client
      .createCheckRun(target, renderCheckRun({ candidate: scanned() }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubPermissionError);
    expect((error as GitHubPermissionError).message).toMatch(
      /POST \/repos\/org\/app\/check-runs \(403 Resource not accessible by integration\).*needs checks=write/,
    );
    expect((error as GitHubPermissionError).retryable).toBe(false);
    expect(requestsSince(start)).toEqual(["POST /repos/{owner}/{repo}/check-runs"]);
  });

  it("reports an unknown repository as not found without retrying", async () => {
    const client = checks();
    await client.listCheckRuns(target, "warm-up");
    const start = github.requests.length;
    const error = await client
      .createCheckRun({ ...target, repo: "gone" }, renderCheckRun({ candidate: scanned() }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubNotFoundError);
    expect((error as Error).message).toMatch(/repos\/org\/gone\/check-runs \(404\).*not installed/);
    expect(requestsSince(start)).toHaveLength(1);
  });

  it("keeps GitHub's validation message on 422 (unknown commit)", async () => {
    const unknown = "f".repeat(40);
    const error = await checks()
      .createCheckRun({ ...target, sha: unknown }, renderCheckRun({ candidate: scanned() }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubValidationError);
    expect((error as Error).message).toContain(`No commit found for SHA: ${unknown}`);
    expect((error as GitHubValidationError).retryable).toBe(false);
  });

  it("waits out a secondary rate limit for the retry-after GitHub sent, then succeeds", async () => {
    const client = checks();
    await client.listCheckRuns(target, "warm-up");
    github.failNext({
      method: "GET",
      path: "/check-runs",
      status: 403,
      headers: { "retry-after": "3" },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
    });
    github.failNext({ method: "GET", path: "/check-runs", status: 429, headers: { "retry-after": "2" } });
    await expect(client.listCheckRuns(target, "Portcullis: team/app")).resolves.toBeInstanceOf(Array);
    expect(sleeps).toEqual([3000, 2000]);
  });

  it("fails with the wait when GitHub asks for longer than the client may sleep", async () => {
    const client = checks();
    await client.listCheckRuns(target, "warm-up");
    const reset = Math.floor(Date.now() / 1000) + 3600;
    github.failNext({
      path: "/check-runs",
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      body: { message: "API rate limit exceeded for installation ID 777." },
    });
    const error = await client.listCheckRuns(target, "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubRateLimitError);
    expect((error as GitHubRateLimitError).retryAfterSeconds).toBeGreaterThan(3500);
    expect(sleeps).toEqual([]);
  });

  it("retries a 502 and succeeds", async () => {
    const client = checks();
    await client.listCheckRuns(target, "warm-up");
    github.failNext({ path: "/check-runs", status: 502, times: 2 });
    await expect(client.listCheckRuns(target, "x")).resolves.toEqual([]);
  });
});

describe("GitHub Enterprise Server", () => {
  it("talks to the API under the configured base URL and checks sources against its host", async () => {
    const ghes = await startGitHubServer({
      appId: app.credentials.appId,
      installationId: app.credentials.installationId,
      publicKey: app.publicKey,
      repositories: { "org/app": [COMMIT] },
      pathPrefix: "/api/v3",
    });
    try {
      const reporter = createGitHubReporter(app.credentials, {
        baseUrl: `${ghes.url}/api/v3`,
      }) as GitHubCheckRuns;
      expect(reporter.host).toBe("127.0.0.1");
      await reporter.createCheckRun(target, renderCheckRun({ candidate: scanned() }));
      expect(ghes.checkRuns("org/app")).toHaveLength(1);
      expect(ghes.violations).toEqual([]);
    } finally {
      await ghes.stop();
    }
  });
});

describe("gitHubReporterProvider", () => {
  it("reuses one client (and its installation token) while the credentials stay the same", async () => {
    let credentials: GitHubCredentials | undefined = app.credentials;
    const provider = gitHubReporterProvider(async () => credentials, options());
    const first = await provider();
    const before = github.tokensIssued();
    await (first as GitHubCheckRuns).listCheckRuns(target, "a");
    const second = await provider();
    await (second as GitHubCheckRuns).listCheckRuns(target, "a");
    expect(second).toBe(first);
    expect(github.tokensIssued()).toBe(before + 1);
    credentials = { kind: "token", token: TOKEN };
    expect((await provider())?.kind).toBe("statuses");
    credentials = undefined;
    expect(await provider()).toBeUndefined();
  });
});

describe("GitHub commit statuses through a token", () => {
  it("posts a status per report, state and description from the candidate", async () => {
    const reporter = createGitHubReporter({ kind: "token", token: TOKEN }, options()) as GitHubCommitStatuses;
    expect(reporter.kind).toBe("statuses");
    await reporter.createCommitStatus(target, renderCommitStatus({ candidate: scanned() }));
    await reporter.createCommitStatus(target, renderCommitStatus({ candidate: promoted("replicated") }));
    const statuses = github.statuses("org/app", COMMIT);
    expect(statuses.map((s) => [s.state, s.context])).toEqual([
      ["pending", "portcullis/team/app"],
      ["success", "portcullis/team/app"],
    ]);
    expect(github.requests.at(-1)?.authorization).toBe(`token ${TOKEN}`);
  });
});
