import { describe, expect, it } from "vitest";
import { checkRepositoryGlob, matchRepositoryGlob } from "../../src/policy/index.ts";

describe("matchRepositoryGlob", () => {
  it.each([
    ["payments/api", "payments/api", true],
    ["payments/api", "payments/api-v2", false],
    ["payments/*", "payments/api", true],
    ["payments/*", "payments", false],
    ["payments/*", "payments/api/worker", false],
    ["payments/*", "other/payments/api", false],
    ["*", "api", true],
    ["*", "team/api", false],
    ["payments/api-*", "payments/api-v2", true],
    ["payments/api-*", "payments/web-v2", false],
    ["payments/ap?", "payments/api", true],
    ["payments/ap?", "payments/apis", false],
    ["payments/**", "payments/api", true],
    ["payments/**", "payments/api/worker", true],
    ["payments/**", "payments", false],
    ["**", "a/b/c", true],
    ["**/worker", "worker", true],
    ["**/worker", "a/b/worker", true],
    ["**/worker", "a/b/worker2", false],
    ["team/**/api", "team/api", true],
    ["team/**/api", "team/x/y/api", true],
    ["team/**/api", "team/x/y/web", false],
    ["a.b/c", "axb/c", false],
    ["legacy-*/**", "legacy-billing/api/v1", true],
  ])("%s against %s is %s", (pattern, repository, expected) => {
    expect(checkRepositoryGlob(pattern)).toBeUndefined();
    expect(matchRepositoryGlob(pattern, repository)).toBe(expected);
  });
});

describe("checkRepositoryGlob", () => {
  it.each([
    ["", /must not be empty/],
    ["Payments/*", /lowercase/],
    ["payments/[ab]", /may contain only/],
    ["payments api", /may contain only/],
    ["/payments", /must not start or end with '\/'/],
    ["payments/", /must not start or end with '\/'/],
    ["a//b", /nor contain '\/\/'/],
    ["a/**b", /whole path segment/],
    ["a/***", /whole path segment/],
    ["a".repeat(257), /at most 256/],
    ["team/./app", /must not contain a '\.' segment: repository names have none/],
    ["**/../x", /must not contain a '\.\.' segment/],
    ["./app", /'\.' segment/],
    ["team/..", /'\.\.' segment/],
    ["team/.hidden", /segment '\.hidden' can never match a repository name component/],
    ["team/-app", /segment '-app' can never match/],
    ["team/a..b", /segment 'a\.\.b' can never match/],
  ])("refuses %j", (pattern, message) => {
    expect(checkRepositoryGlob(pattern)).toMatch(message);
  });
});
