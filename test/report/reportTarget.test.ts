import { describe, expect, it } from "vitest";
import { githubHost, reportTarget } from "../../src/report/index.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("reportTarget", () => {
  it.each([
    ["https://github.com/octo/shop", "github.com"],
    ["https://github.com/octo/shop.git", "github.com"],
    ["https://github.com/octo/shop/", "github.com"],
    ["git@github.com:octo/shop.git", "github.com"],
    ["ssh://git@github.com/octo/shop.git", "github.com"],
    ["https://ghe.example.com/octo/shop", "ghe.example.com"],
  ])("reads owner/repo from %s", (source, host) => {
    expect(reportTarget({ source, revision: SHA }, host)).toEqual({
      ok: true,
      value: { owner: "octo", repo: "shop", sha: SHA },
    });
  });

  it.each([
    [{ revision: SHA }, "git.source", "is required to report to GitHub"],
    [{ source: "https://github.com/octo/shop" }, "git.revision", "must be a full lowercase commit id"],
    [
      { source: "https://github.com/octo/shop", revision: "abc123" },
      "git.revision",
      "must be a full lowercase commit id",
    ],
    [
      { source: "https://github.com/octo", revision: SHA },
      "git.source",
      "must be a repository URL like https://github.com/OWNER/REPO",
    ],
    [
      { source: "https://github.com/octo/shop/tree/main", revision: SHA },
      "git.source",
      "must be a repository URL like https://github.com/OWNER/REPO",
    ],
    [
      { source: "https://gitlab.com/octo/shop", revision: SHA },
      "git.source",
      "must be on github.com, the configured GitHub host",
    ],
  ])("refuses %j naming %s", (git, field, message) => {
    const result = reportTarget(git, "github.com");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toEqual([expect.objectContaining({ field, message })]);
  });

  it("maps API base URLs to web hosts", () => {
    expect(githubHost("https://api.github.com")).toBe("github.com");
    expect(githubHost("https://ghe.example.com/api/v3")).toBe("ghe.example.com");
    expect(githubHost("https://api.acme.ghe.com")).toBe("acme.ghe.com");
  });
});
