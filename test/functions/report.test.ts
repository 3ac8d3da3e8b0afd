import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { portcullisEvent } from "../../src/events/index.ts";
import { githubCredentialsLoader } from "../../src/lambda/githubCredentialsLoader.ts";
import type { Candidate } from "../../src/release/index.ts";
import { createReleaseStore } from "../../src/store/index.ts";
import { type CapturedOutput, captureOutput } from "../lambda/captureOutput.ts";
import { lambdaContext } from "../lambda/lambdaContext.ts";
import { COMMIT, rejected } from "../report/candidates.ts";
import { testGitHubApp } from "../support/githubApp.ts";
import { type GitHubServer, startGitHubServer } from "../support/githubServer.ts";
import { ACCOUNT, type FunctionEnvironment, functionEnvironment, TABLE } from "./functionEnvironment.ts";

const smMock = mockClient(SecretsManagerClient);
const app = testGitHubApp();
const SECRET = "portcullis/github-app";
let github: GitHubServer;
let env: FunctionEnvironment;
let out: CapturedOutput;

beforeAll(async () => {
  github = await startGitHubServer({
    appId: app.credentials.appId,
    installationId: app.credentials.installationId,
    publicKey: app.publicKey,
    repositories: { "org/app": [COMMIT] },
  });
  env = await functionEnvironment({
    PORTCULLIS_REPOSITORIES: "team/app",
    PORTCULLIS_GITHUB_APP_SECRET: SECRET,
    PORTCULLIS_GITHUB_API_URL: github.url,
  });
});
afterAll(async () => {
  await env?.restore();
  await github?.stop();
});
afterEach(() => {
  out?.restore();
  smMock.reset();
});

/** A rejected candidate whose source is the fake GitHub's host (the report refuses sources on other hosts). */
async function storedRejection(): Promise<Candidate> {
  const state = { ...rejected(2), git: { source: `${github.url}/org/app`, revision: COMMIT } };
  await createReleaseStore({ client: env.dynalite.client, tableName: TABLE }).createCandidate(state);
  return state;
}

describe("functions/report", () => {
  it("files the candidate's check run as the GitHub App whose key is in Secrets Manager, without logging the key", async () => {
    const { credentials } = app;
    smMock.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({
      SecretString: JSON.stringify({
        appId: credentials.appId,
        installationId: credentials.installationId,
        privateKey: credentials.privateKey,
      }),
    });
    const state = await storedRejection();
    const { handler } = await import("../../functions/report.ts");
    out = captureOutput();
    const event = portcullisEvent(
      "Release Decided",
      { candidate: state.key, git: { commit: COMMIT }, outcome: "failed", reasons: [] },
      { account: ACCOUNT },
    );
    const result = await handler(event, lambdaContext("portcullis-test-report"));
    expect(result).toMatchObject({ kind: "check-run", created: true, status: "completed" });
    const [run] = github.checkRuns("org/app");
    expect(run).toMatchObject({ head_sha: COMMIT, external_id: state.key.digest, conclusion: "failure" });
    expect(github.violations).toEqual([]);
    const logged = out.lines().join("\n");
    const keyBody = credentials.privateKey.split("\n")[1] ?? "";
    expect(keyBody.length).toBeGreaterThan(20);
    expect(logged).not.toContain(keyBody);
    expect(logged).not.toContain("PRIVATE KEY");
  });
});

describe("githubCredentialsLoader", () => {
  const reader = (values: Record<string, string>) => ({
    text: async (name: string) => values[name] ?? "",
    json: async (name: string) => JSON.parse(values[name] ?? "null"),
  });

  it("reads a status token given as the bare token or as { token }", async () => {
    const token = "ghp_0123456789abcdefghijABCDEFGHIJ";
    for (const value of [token, JSON.stringify({ token })])
      expect(await githubCredentialsLoader({ statusTokenSecret: "t" }, reader({ t: value }))()).toEqual({
        kind: "token",
        token,
      });
  });

  it("is undefined when GitHub is not configured", async () => {
    expect(await githubCredentialsLoader({}, reader({}))()).toBeUndefined();
  });

  it("refuses a malformed App secret without echoing it", async () => {
    const load = githubCredentialsLoader(
      { githubAppSecret: "a" },
      reader({ a: JSON.stringify({ appId: 1, privateKey: "SECRET-KEY-TEXT" }) }),
    );
    const error = await load().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^secret a: is not valid GitHub credentials:\nvalue.installationId/,
    );
    expect((error as Error).message).not.toContain("SECRET-KEY-TEXT");
  });

  it("refuses both secrets at once, naming both variables", () => {
    expect(() =>
      githubCredentialsLoader({ githubAppSecret: "a", statusTokenSecret: "t" }, reader({})),
    ).toThrow(/PORTCULLIS_GITHUB_APP_SECRET.*\n.*PORTCULLIS_STATUS_TOKEN_SECRET/);
  });
});
