import { describe, expect, it } from "vitest";
import { CHECK_RUN_LIMITS, renderCheckRun } from "../../src/report/index.ts";
import { registered } from "../release/fixtures.ts";
import { decidedWith, highFinding, INDEX, promoted, rejected, scanned, timedOut } from "./candidates.ts";

describe("renderCheckRun", () => {
  it("says a decided candidate is signed and shows the verify command; nothing while scanning or unsigned", () => {
    const attestation = {
      registry: "123456789012.dkr.ecr.us-east-1.amazonaws.com",
      keyFlag: "--kms-key-id arn:aws:kms:us-east-1:123456789012:key/k",
    };
    const candidate = rejected();
    const run = renderCheckRun({ candidate, attestation });
    expect(run.summary).toContain("### 🔏 Signed decision");
    expect(run.summary).toContain("A SLSA verification summary saying **FAILED**");
    expect(run.summary).toContain(
      `\`\`\`sh\nnpx portcullis verify 123456789012.dkr.ecr.us-east-1.amazonaws.com/${candidate.key.repository}@${candidate.key.digest} --kms-key-id arn:aws:kms:us-east-1:123456789012:key/k\n\`\`\``,
    );
    expect(renderCheckRun({ candidate: promoted(), attestation }).summary).toContain("saying **PASSED**");
    expect(renderCheckRun({ candidate: scanned(), attestation }).summary).not.toContain("Signed decision");
    expect(renderCheckRun({ candidate }).summary).not.toContain("Signed decision");
    const hostile = renderCheckRun({ candidate, attestation: { ...attestation, keyFlag: "--key a`b\n```" } });
    expect(hostile.summary).toContain("--key ab\n```");
  });

  it("shows a scanning candidate in progress with a waiting platform", () => {
    const run = renderCheckRun({ candidate: registered() });
    expect(run).toMatchObject({ name: "Portcullis: team/app", status: "in_progress", external_id: INDEX });
    expect(run.conclusion).toBeUndefined();
    expect(run.title).toBe("Waiting for scans: 0 of 2 platforms scanned");
    expect(run.summary).toContain("⏳ waiting");
  });

  it("shows recorded scan counts per platform before the decision", () => {
    const run = renderCheckRun({ candidate: scanned() });
    expect(run.title).toBe("Waiting for scans: 2 of 2 platforms scanned");
    expect(run.summary).toMatch(/\| linux\/amd64 \| `sha256:0{12}` \| COMPLETE \| 0 \| \*\*1\*\* \|/);
  });

  it("completes a rejected candidate as a failure with reasons, blocking findings, fix versions and links", () => {
    const run = renderCheckRun({ candidate: rejected(2) });
    expect(run).toMatchObject({
      status: "completed",
      conclusion: "failure",
      title: "Rejected: 2 blocking findings",
    });
    expect(run.completed_at).toBe("2026-03-01T10:10:00.000Z");
    expect(run.summary).toContain("- linux/amd64: 2 fixable HIGH findings, limit 0");
    expect(run.text).toContain("### Blocking findings (2)");
    expect(run.text).toContain("[CVE-2024-1000](https://nvd.nist.gov/vuln/detail/CVE-2024-1000)");
    expect(run.text).toContain("`1.1`");
    expect(run.text).toContain("| linux/amd64, linux/arm64 |");
  });

  it("lists allowlisted findings with their expiry, owner and reason", () => {
    const run = renderCheckRun({ candidate: decidedWith([highFinding("CVE-2025-0001")]) });
    expect(run.status).toBe("in_progress");
    expect(run.title).toBe("Passed the gate; promoting");
    expect(run.text).toContain("### Allowlisted (1)");
    expect(run.text).toMatch(/\| 2026-12-01 \| team-a \| not reachable \|/);
  });

  it("completes a pass whose ref yields no promotion tags as success, saying it was not promoted", () => {
    const candidate = decidedWith([]);
    const run = renderCheckRun({ candidate: { ...candidate, tags: { ...candidate.tags, promotion: [] } } });
    expect(run).toMatchObject({
      status: "completed",
      conclusion: "success",
      title: "Passed the gate; not promoted: no promotion tags for refs/heads/main",
    });
  });

  it("completes a promoted candidate as success with its tags and a per-region replication list", () => {
    const run = renderCheckRun({ candidate: promoted("failed") });
    expect(run).toMatchObject({ status: "completed", conclusion: "success" });
    expect(run.title).toBe("Promoted as main, latest; replication failed in ap-south-1");
    expect(run.summary).toContain("**Promoted tags:** `main` `latest`");
    expect(run.summary).toContain(
      '```sh\nnpx portcullis rollback team/app --to previous --tags main,latest --reason "…"\n```',
    );
    expect(run.summary).toContain("- ✅ `eu-west-1`: replicated");
    expect(run.summary).toContain("- ❌ `ap-south-1`: failed after 1 attempt: AccessDenied: not authorized");
    expect(renderCheckRun({ candidate: promoted("pending") }).title).toBe(
      "Promoted as main, latest; replicated to 1 of 2 regions",
    );
  });

  it("says first, on the rolled-back-to release, who moved which tags back and why", () => {
    const run = renderCheckRun({
      candidate: promoted("replicated"),
      rollback: {
        tags: ["latest"],
        by: "alice",
        reason: "p99 *doubled*",
        forced: true,
        from: { latest: `sha256:${"d".repeat(64)}` },
      },
    });
    expect(run.title).toBe("Rolled back here (forced): latest");
    expect(run.summary.split("\n").slice(0, 3)).toEqual([
      "## ⏪ Rolled back here \\(forced\\): latest",
      "",
      "alice moved `latest` (was `sha256:dddddddddddd…`) back onto this release in every region: p99 \\*doubled\\*",
    ]);
    expect(run.summary).toContain("**Promoted tags:**");
  });

  it("completes a timed-out candidate as timed_out naming the platform it waited for", () => {
    const run = renderCheckRun({ candidate: timedOut() });
    expect(run).toMatchObject({
      conclusion: "timed_out",
      title: "Timed out waiting for scans of linux/arm64",
    });
    expect(run.summary).toContain("last scan status none");
  });

  it("escapes markdown, HTML and mentions in untrusted package names and titles", () => {
    const evil = {
      ...highFinding("CVE-2024-1"),
      package: "<img src=x>*bold*|@org/team",
      title: "[click](javascript:alert(1))",
    };
    const run = renderCheckRun({ candidate: decidedWith([evil]) });
    expect(run.text).toContain("&lt;img src=x&gt;\\*bold\\*\\|\\@org/team");
    expect(run.text).not.toContain("<img");
    expect(run.text).not.toContain("](javascript");
  });

  it("does not link findings whose link is not http(s)", () => {
    const run = renderCheckRun({
      candidate: decidedWith([{ ...highFinding("CVE-2024-1"), link: "javascript:alert(1)" }]),
    });
    expect(run.text).not.toContain("javascript:alert");
  });

  it("cuts summary and text to the limit at a line boundary with a visible note", () => {
    const run = renderCheckRun({ candidate: rejected(300, { maxFindings: 300 }) });
    expect(run.text.length).toBeLessThanOrEqual(CHECK_RUN_LIMITS.outputChars);
    const small = renderCheckRun({ candidate: rejected(300, { maxFindings: 300 }), maxChars: 2000 });
    expect(small.text.length).toBeLessThanOrEqual(2000);
    expect(small.text).toMatch(
      /\n\n> \*\*Truncated:\*\* \d+ characters left out to fit GitHub's 2000-character limit\.$/,
    );
    expect(small.text.split("\n\n> **Truncated")[0]?.endsWith("|")).toBe(true);
  });

  it("turns blocking findings into failure annotations on the given file, all of them", () => {
    const run = renderCheckRun({
      candidate: rejected(60, { maxFindings: 60 }),
      annotationPath: "Dockerfile",
    });
    expect(run.annotations).toHaveLength(60);
    expect(run.annotations?.[0]).toMatchObject({
      path: "Dockerfile",
      start_line: 1,
      end_line: 1,
      annotation_level: "failure",
    });
    expect(run.annotations?.[0]?.message).toContain("fixed in 1.1");
    expect(renderCheckRun({ candidate: rejected(2) }).annotations).toBeUndefined();
  });

  it("links details only to http(s) URLs", () => {
    expect(
      renderCheckRun({ candidate: registered(), detailsUrl: "https://console.aws.amazon.com/ecr" })
        .details_url,
    ).toBe("https://console.aws.amazon.com/ecr");
    expect(
      renderCheckRun({ candidate: registered(), detailsUrl: "file:///etc/passwd" }).details_url,
    ).toBeUndefined();
  });

  it("renders a decision whose reasons it cannot read without failing", () => {
    const decided = rejected(1);
    if (decided.phase !== "decided") throw new Error("expected a decided candidate");
    const candidate = { ...decided, decision: { ...decided.decision, reasons: ["x"] } };
    const run = renderCheckRun({ candidate });
    expect(run.title).toBe("Rejected");
    expect(run.summary).toContain("could not be read");
  });
});
