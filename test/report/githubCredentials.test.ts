import { describe, expect, it } from "vitest";
import { parseGitHubCredentials } from "../../src/report/github/index.ts";
import { testGitHubApp } from "../support/githubApp.ts";

const { privateKey } = testGitHubApp().credentials;
const TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

describe("parseGitHubCredentials", () => {
  it("reads App credentials, ids as numbers or digit strings, the key with escaped newlines", () => {
    const escaped = privateKey.replace(/\n/g, "\\n");
    const parsed = parseGitHubCredentials({ appId: "4242", installationId: 777, privateKey: escaped });
    expect(parsed).toEqual({
      ok: true,
      value: { kind: "app", appId: 4242, installationId: 777, privateKey },
    });
  });

  it("reads a token", () => {
    expect(parseGitHubCredentials({ token: TOKEN })).toEqual({
      ok: true,
      value: { kind: "token", token: TOKEN },
    });
  });

  it.each([
    [
      { appId: 0, installationId: "x", privateKey: "nope" },
      ["secret.appId", "secret.installationId", "secret.privateKey"],
    ],
    [{ installationId: 1, privateKey }, ["secret.appId"]],
    [{ token: "short" }, ["secret.token"]],
    [[], ["secret"]],
    ["a string", ["secret"]],
  ])("refuses %j naming the fields", (value, fields) => {
    const parsed = parseGitHubCredentials(value, "secret");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.map((i) => i.field)).toEqual(fields);
  });

  it("never echoes a key or token in its issues", () => {
    const bad = parseGitHubCredentials({ appId: 1, installationId: 2, privateKey: `${privateKey}garbage` });
    const badToken = parseGitHubCredentials({ token: `${TOKEN}!` });
    const text = JSON.stringify([bad, badToken]);
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain(TOKEN);
    expect(text).toContain("[redacted]");
  });
});
