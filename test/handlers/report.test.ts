import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import { portcullisEvent } from "../../src/events/index.ts";
import {
  createReportHandler,
  type ReportHandlerDeps,
} from "../../src/handlers/report/createReportHandler.ts";
import type { Candidate } from "../../src/release/index.ts";
import {
  createGitHubReporter,
  type GitHubCheckRuns,
  GitHubPermissionError,
  type GitHubReporter,
  gitHubReporterProvider,
} from "../../src/report/github/index.ts";
import type { CandidateStore } from "../../src/store/index.ts";
import {
  buildEvent,
  COMMIT,
  decidedWith,
  highFinding,
  key,
  promoted,
  rejected,
  scanned,
} from "../report/candidates.ts";
import { freshStore, realClock, recordingLog, recordingMetrics } from "../report/recordingPorts.ts";
import { testGitHubApp } from "../support/githubApp.ts";
import { type GitHubServer, startGitHubServer } from "../support/githubServer.ts";
import { type DynaliteHandle, startDynalite } from "../support/startDynalite.ts";

const ACCOUNT = "123456789012";
const TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
const app = testGitHubApp();
const settings = {
  account: ACCOUNT,
  regions: ["us-east-1", "us-west-2"],
  repositories: ["team/app", "payments/api"],
};

let dynalite: DynaliteHandle;
let github: GitHubServer;
let store: CandidateStore;
let log: ReturnType<typeof recordingLog>;
let metrics: ReturnType<typeof recordingMetrics>;

beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(() => dynalite.stop());
beforeEach(async () => {
  github = await startGitHubServer({
    appId: app.credentials.appId,
    installationId: app.credentials.installationId,
    publicKey: app.publicKey,
    repositories: { "org/app": [COMMIT], "octo/shop": [COMMIT] },
    tokens: [TOKEN],
    delayMs: 30,
  });
  store = await freshStore(dynalite);
  log = recordingLog();
  metrics = recordingMetrics();
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
  expect(log.text()).not.toContain("PRIVATE KEY");
  expect(log.text()).not.toContain(TOKEN);
});

function handler(overrides: Partial<ReportHandlerDeps> = {}) {
  return createReportHandler({
    store,
    github: gitHubReporterProvider(async () => app.credentials, { baseUrl: github.url, retryBaseMs: 1 }),
    clock: realClock,
    log,
    metrics,
    settings,
    options: { githubHost: "github.com", busyWaitMs: 50, busyRetries: 40 },
    ...overrides,
  });
}

function decided(candidate: Candidate, id?: string) {
  if (candidate.phase === "scanning") throw new Error("not decided");
  return portcullisEvent(
    "Release Decided",
    { candidate: candidate.key, git: { commit: COMMIT }, outcome: candidate.decision.outcome, reasons: [] },
    { account: ACCOUNT, ...(id && { id }) },
  );
}

const runsOf = (digest: string) => github.checkRuns("org/app").filter((r) => r.external_id === digest);

describe("report handler: check runs", () => {
  it("creates one check run for a decision and updates it on redelivery, never a second", async () => {
    const candidate = rejected(2);
    await store.createCandidate(candidate);
    const report = handler();
    const event = decided(candidate, "event-1");
    const first = await report(event);
    const second = await report(event);
    expect(first).toMatchObject({ kind: "check-run", created: true, status: "completed" });
    expect(second).toMatchObject({ kind: "check-run", created: false });
    expect(second.kind === "check-run" && first.kind === "check-run" && second.id === first.id).toBe(true);
    const runs = runsOf(key.digest);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: "Portcullis: team/app", conclusion: "failure", head_sha: COMMIT });
    expect(runs[0]?.output.title).toBe("Rejected: 2 blocking findings");
    expect(metrics.counts.get("CheckRunCreated")).toBe(1);
  });

  it("makes one check run when two invocations race for a new candidate", async () => {
    const candidate = rejected(1);
    await store.createCandidate(candidate);
    const results = await Promise.all([
      handler()(decided(candidate)),
      handler()(decided(candidate)),
      handler()(decided(candidate)),
    ]);
    expect(runsOf(key.digest)).toHaveLength(1);
    const ids = new Set(results.map((r) => (r.kind === "check-run" ? r.id : undefined)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.kind === "check-run" && r.created)).toHaveLength(1);
  });

  it("renders the newer state when the candidate changes while it writes", async () => {
    const passed = decidedWith([highFinding("CVE-2025-0001")]);
    await store.createCandidate(passed);
    const real = createGitHubReporter(app.credentials, { baseUrl: github.url }) as GitHubCheckRuns;
    let moved = false;
    const racing: GitHubCheckRuns = {
      ...real,
      kind: "checks",
      host: real.host,
      listCheckRuns: (t, n) => real.listCheckRuns(t, n),
      createCheckRun: (t, r) => real.createCheckRun(t, r),
      updateCheckRun: (t, id, r) => real.updateCheckRun(t, id, r),
      async createOrUpdateCheckRun(t, r, o) {
        const result = await real.createOrUpdateCheckRun(t, r, o);
        if (!moved) {
          moved = true;
          await store.saveCandidate({ ...promoted("replicated"), version: passed.version + 1 });
        }
        return result;
      },
    };
    const result = await handler({ github: async () => racing })(decided(passed));
    expect(result).toMatchObject({ kind: "check-run", status: "completed" });
    const [run] = runsOf(key.digest);
    expect(run?.output.title).toBe("Promoted as main, latest; replicated to 2 of 2 regions");
    expect(run?.conclusion).toBe("success");
  });

  it("sends the blocking findings as annotations once, not again on redelivery", async () => {
    const candidate = rejected(3);
    await store.createCandidate(candidate);
    const report = handler({ options: { githubHost: "github.com", annotationPath: "Dockerfile" } });
    await report(decided(candidate));
    await report(decided(candidate));
    const [run] = runsOf(key.digest);
    expect(run?.annotations).toHaveLength(3);
  });

  it("gives up its claim when GitHub refuses, so a retry after the fix creates the run", async () => {
    const candidate = rejected(1);
    await store.createCandidate(candidate);
    github.setChecksPermission(false);
    const error = await handler()(decided(candidate)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubPermissionError);
    github.setChecksPermission(true);
    expect(await handler()(decided(candidate))).toMatchObject({ kind: "check-run", created: true });
    expect(runsOf(key.digest)).toHaveLength(1);
  });

  it("logs and skips when GitHub does not know the commit (422), without throwing", async () => {
    const candidate = {
      ...rejected(1),
      git: { source: "https://github.com/org/app", revision: "e".repeat(40) },
    };
    await store.createCandidate(candidate);
    const result = await handler()(decided(candidate));
    expect(result).toMatchObject({
      kind: "skipped",
      reason: expect.stringContaining("No commit found for SHA"),
    });
    expect(
      log.lines.some((l) => l.level === "error" && l.message === "report: GitHub refused the report"),
    ).toBe(true);
    expect(metrics.counts.get("GitHubRefused")).toBe(1);
  });

  it("skips a candidate whose source is not on the GitHub host", async () => {
    const candidate = { ...rejected(1), git: { source: "https://gitlab.com/org/app", revision: COMMIT } };
    await store.createCandidate(candidate);
    expect(await handler()(decided(candidate))).toMatchObject({
      kind: "skipped",
      reason: expect.stringContaining("must be on github.com"),
    });
  });
});

describe("report handler: builds", () => {
  const started = (step: string) =>
    buildEvent("IN_PROGRESS", {
      PORTCULLIS_STEP: step,
      PORTCULLIS_IMAGE: "123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app",
      PORTCULLIS_SOURCE_URL: "https://github.com/org/app",
    });

  it("opens one in-progress run for the jobs of a batch, which the candidate then takes over", async () => {
    const results = await Promise.all(
      ["image", "image", "index"].map((step) => handler()({ ...started(step), account: ACCOUNT })),
    );
    expect(results.filter((r) => r.kind === "check-run")).toHaveLength(1);
    const buildRuns = github.checkRuns("org/app").filter((r) => r.external_id === `build:${COMMIT}`);
    expect(buildRuns).toHaveLength(1);
    expect(buildRuns[0]?.status).toBe("in_progress");

    const candidate = { ...scanned(), key: { ...key, region: "us-west-2" } };
    await store.createCandidate(candidate);
    const registered = portcullisEvent(
      "Candidate Registered",
      { candidate: candidate.key, git: { commit: COMMIT } },
      { account: ACCOUNT },
    );
    const result = await handler()(registered);
    expect(result).toMatchObject({ kind: "check-run", created: false, id: buildRuns[0]?.id });
    expect(github.checkRuns("org/app").find((r) => r.id === buildRuns[0]?.id)?.external_id).toBe(key.digest);
  });

  it("completes the build's run as failed when the build fails", async () => {
    await handler()({ ...started("image"), account: ACCOUNT });
    const failed = buildEvent("FAILED", {
      PORTCULLIS_IMAGE: "123456789012.dkr.ecr.us-west-2.amazonaws.com/payments/api",
      PORTCULLIS_SOURCE_URL: "https://github.com/octo/shop",
    });
    await handler()({
      ...buildEvent("IN_PROGRESS", {
        PORTCULLIS_IMAGE: "123456789012.dkr.ecr.us-west-2.amazonaws.com/payments/api",
        PORTCULLIS_SOURCE_URL: "https://github.com/octo/shop",
      }),
      account: ACCOUNT,
    });
    const result = await handler()({ ...failed, account: ACCOUNT });
    expect(result).toMatchObject({ kind: "check-run", created: false });
    const [run] = github.checkRuns("octo/shop").filter((r) => r.name === "Portcullis: payments/api");
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  });

  it("ignores a build that succeeded: the candidate reports next", async () => {
    expect(await handler()({ ...buildEvent("SUCCEEDED"), account: ACCOUNT })).toMatchObject({
      kind: "ignored",
    });
  });
});

describe("report handler: without a GitHub App", () => {
  it("posts commit statuses with a token", async () => {
    const candidate = promoted("replicated");
    await store.createCandidate(candidate);
    const tokenReporter: GitHubReporter = createGitHubReporter(
      { kind: "token", token: TOKEN },
      { baseUrl: github.url },
    );
    const result = await handler({ github: async () => tokenReporter })(decided(candidate));
    expect(result).toEqual({ kind: "commit-status", state: "success" });
    expect(github.statuses("org/app", COMMIT).at(-1)).toMatchObject({
      state: "success",
      context: "portcullis/team/app",
      description: "Promoted as main, latest; replicated to 2 of 2 regions",
    });
  });

  it("posts a rollback onto a release as its commit status", async () => {
    const candidate = promoted("replicated");
    await store.createCandidate(candidate);
    const tokenReporter: GitHubReporter = createGitHubReporter(
      { kind: "token", token: TOKEN },
      { baseUrl: github.url },
    );
    const event = portcullisEvent(
      "Release Rolled Back",
      {
        candidate: key,
        tags: ["latest"],
        from: { latest: `sha256:${"b".repeat(64)}` },
        by: "alice",
        reason: "p99 regression",
        forced: false,
      },
      { account: ACCOUNT },
    );
    expect(await handler({ github: async () => tokenReporter })(event)).toEqual({
      kind: "commit-status",
      state: "success",
    });
    expect(github.statuses("org/app", COMMIT).at(-1)).toMatchObject({
      state: "success",
      context: "portcullis/team/app",
      description: "Rolled back here: latest by alice: p99 regression",
    });
  });

  it("only renders when GitHub is not configured", async () => {
    const candidate = rejected(1);
    await store.createCandidate(candidate);
    const result = await handler({ github: async () => undefined })(decided(candidate));
    expect(result).toMatchObject({
      kind: "rendered",
      checkRun: { conclusion: "failure", external_id: key.digest },
      commitStatus: { state: "failure" },
    });
  });
});

describe("report handler: events", () => {
  it("refuses an event from another account and does nothing", async () => {
    const candidate = rejected(1);
    await store.createCandidate(candidate);
    const event = { ...decided(candidate), account: "210987654321" };
    expect(await handler()(event)).toMatchObject({ kind: "refused", field: "account" });
    expect(runsOf(key.digest)).toHaveLength(0);
  });

  it("refuses a repository Portcullis does not gate", async () => {
    const event = portcullisEvent(
      "Release Decided",
      { candidate: { ...key, repository: "other/repo" }, outcome: "failed", reasons: [] },
      { account: ACCOUNT },
    );
    expect(await handler()(event)).toMatchObject({ kind: "refused", field: "detail.candidate.repository" });
  });

  it("throws a ValidationError naming the field for an invalid event", async () => {
    const event = { ...decided(rejected(1)), detail: { candidate: { ...key, digest: "sha256:nope" } } };
    const error = await handler()(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toContain("detail.candidate.digest");
  });

  it("skips (and logs) an event about a candidate the store does not have", async () => {
    expect(await handler()(decided(rejected(1)))).toMatchObject({
      kind: "skipped",
      reason: "no such candidate",
    });
  });
});
