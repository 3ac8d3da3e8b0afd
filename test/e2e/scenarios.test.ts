import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countPublished,
  type E2eHarness,
  skopeoDigest,
  skopeoRaw,
  skopeoTags,
  startHarness,
} from "./harness.ts";

/**
 * The local pipeline end to end, once per shipped scenario: the example built once with buildah, then for
 * each scenario pushed to its own repository and driven through the real handlers; every registry is read
 * back with skopeo, not with our own client.
 */
describe("local pipeline scenarios (e2e)", () => {
  let harness: E2eHarness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const hosts = () =>
    harness.services.registries.map((registry) => ({ region: registry.region, host: registry.host }));

  it.each([
    ["pass", "e2e/pass"],
    ["allowlisted", "e2e/allowlisted"],
  ])("%s: promotes the index and every region's tags point at its digest", async (scenario, repository) => {
    const report = await harness.run(scenario, repository);

    expect(report.problems).toEqual([]);
    expect(report.decision?.outcome).toBe("passed");
    expect(report.promotedTags.length).toBeGreaterThan(0);
    expect(countPublished(report, "Release Decided")).toBe(1);
    expect(countPublished(report, "Image Promoted")).toBe(1);
    expect(countPublished(report, "Image Replicated")).toBe(2);
    expect(report.reports.map((r) => r.what)).toEqual([expect.stringMatching(/^check run ".*" success$/)]);
    expect(report.reports[0]?.preview).toMatch(/Promoted as main; replicated to 2 of 2 regions/);
    expect(report.notifications.map((n) => n.what)).toEqual([expect.stringMatching(/^Promoted: /)]);
    for (const { region, host } of hosts()) {
      for (const tag of report.promotedTags)
        expect({ region, tag, digest: await skopeoDigest(`${host}/${repository}:${tag}`) }).toEqual({
          region,
          tag,
          digest: report.image.digest,
        });
    }
    expect(report.image.digest).toBe(
      await skopeoDigest(`${harness.services.primary.host}/${repository}:${report.image.buildTag}`),
    );
    // portcullis verify succeeds in every region: the signed summary travelled with the index.
    expect(report.attestations?.map((a) => [a.region, a.verified, a.passed])).toEqual(
      hosts().map(({ region }) => [region, true, true]),
    );
  });

  it.each([
    ["fail", "e2e/fail", /1 fixable CRITICAL finding, limit 0/],
    ["scan-failed", "e2e/scan-failed", /linux\/arm64: scan status FAILED/],
    ["expired-allowlist", "e2e/expired-allowlist", /1 fixable HIGH finding, limit 0/],
  ])("%s: rejects with the reason, promotes and replicates nothing", async (scenario, repository, reason) => {
    const report = await harness.run(scenario, repository);

    expect(report.problems).toEqual([]);
    expect(report.decision?.outcome).toBe("failed");
    expect(report.decision?.reasons.join("\n")).toMatch(reason);
    expect(report.promotedTags).toEqual([]);
    expect(countPublished(report, "Release Decided")).toBe(1);
    expect(countPublished(report, "Image Promoted")).toBe(0);
    expect(report.reports.map((r) => r.what)).toEqual([expect.stringMatching(/^check run ".*" failure$/)]);
    expect(report.reports[0]?.preview).toMatch(reason);
    expect(report.notifications.map((n) => n.what)).toEqual([expect.stringMatching(/^Rejected: /)]);
    const [primary, ...replicas] = hosts();
    // Beside the build tag, only the referrers tag (sha256-<hex>) listing the signed rejection.
    expect(await skopeoTags(`${primary?.host}/${repository}`)).toEqual(
      [report.image.buildTag, `sha256-${report.image.digest.slice(7)}`].sort(),
    );
    for (const replica of replicas) expect(await skopeoTags(`${replica.host}/${repository}`)).toEqual([]);
    expect(report.attestations?.map((a) => [a.region, a.verified, a.passed])).toEqual([
      [primary?.region, true, false],
    ]);
  });

  it("findings-lag: waits for the CRITICAL the scan counted, then rejects; never promoted before", async () => {
    const report = await harness.run("findings-lag", "e2e/findings-lag");

    expect(report.problems).toEqual([]);
    expect(report.decision?.outcome).toBe("failed");
    expect(report.decision?.reasons.join("\n")).toMatch(/1 fixable CRITICAL finding, limit 0/);
    expect(report.reconcileRuns).toBeGreaterThanOrEqual(2);
    expect(countPublished(report, "Release Decided")).toBe(1);
    expect(countPublished(report, "Image Promoted")).toBe(0);
    const [primary, ...replicas] = hosts();
    // Beside the build tag, only the referrers tag (sha256-<hex>) listing the signed rejection.
    expect(await skopeoTags(`${primary?.host}/e2e/findings-lag`)).toEqual(
      [report.image.buildTag, `sha256-${report.image.digest.slice(7)}`].sort(),
    );
    for (const replica of replicas) expect(await skopeoTags(`${replica.host}/e2e/findings-lag`)).toEqual([]);
  });

  it("unsupported: an image ECR cannot scan is promoted only by its exception, with the warning shown", async () => {
    // The scenario's exception covers portcullis/*: inside it the image passes, outside it fails closed.
    const report = await harness.run("unsupported", "portcullis/e2e-unsupported");

    expect(report.problems).toEqual([]);
    expect(report.decision?.outcome).toBe("passed");
    expect(report.reports[0]?.preview).toMatch(/Passed without a vulnerability scan/);
    expect(report.reports[0]?.preview).toMatch(/NOT SCANNED/);
    expect(report.notifications.map((n) => n.preview).join("\n")).toMatch(/NOT SCANNED/);
    for (const { host } of hosts())
      for (const tag of report.promotedTags)
        expect(await skopeoDigest(`${host}/portcullis/e2e-unsupported:${tag}`)).toBe(report.image.digest);

    const unmatched = await harness.run("unsupported", "e2e/unsupported");
    expect(unmatched.decision?.outcome).toBe("failed");
    expect(unmatched.promotedTags).toEqual([]);
    expect(unmatched.problems).toEqual([
      expect.stringMatching(/expects a promotion, but the decision was failed/),
    ]);
  });

  it("provenance: the local build's SLSA provenance names the repository and commit, so a policy requiring it promotes", async () => {
    const report = await harness.run("provenance", "e2e/provenance");

    expect(report.problems).toEqual([]);
    expect(report.decision?.outcome).toBe("passed");
    const index = JSON.parse(
      await skopeoRaw(`${harness.services.primary.host}/e2e/provenance@${report.image.digest}`),
    ) as {
      manifests: { platform?: { os: string }; annotations?: Record<string, string> }[];
    };
    expect(
      index.manifests
        .filter((m) => m.platform?.os === "unknown")
        .map((m) => m.annotations?.["vnd.docker.reference.type"]),
    ).toEqual(["attestation-manifest", "attestation-manifest"]);
    for (const { host } of hosts())
      for (const tag of report.promotedTags)
        expect(await skopeoDigest(`${host}/e2e/provenance:${tag}`)).toBe(report.image.digest);
  });

  it("demote-grace: notified with the deadline, demoted once simulated time passes it", async () => {
    const report = await harness.run("demote-grace", "e2e/demote-grace");

    expect(report.problems).toEqual([]);
    expect(report.decision?.outcome).toBe("passed");
    expect(report.watch?.demotedAt).toEqual(expect.any(String));
    expect(report.notifications.map((n) => n.what)).toEqual([
      expect.stringMatching(/^Promoted: /),
      expect.stringMatching(/^Demotion in 7 days: /),
      expect.stringMatching(/^Demoted: /),
    ]);
    expect(countPublished(report, "Finding On Promoted Image")).toBe(2);
  });

  it("rescan-expired: reports the image as no longer monitored, clears nothing", async () => {
    const report = await harness.run("rescan-expired", "e2e/rescan-expired");

    expect(report.problems).toEqual([]);
    expect(report.watch).toMatchObject({ unmonitoredSince: expect.any(String) });
    expect(report.watch?.demotedAt).toBeUndefined();
    expect(countPublished(report, "Image Unmonitored")).toBe(1);
    expect(report.notifications.map((n) => n.what)).toContainEqual(
      expect.stringMatching(/^No longer monitored: /),
    );
    expect(report.reports.at(-1)?.preview).toMatch(/No longer monitored since/);
  });

  it("reports a scenario whose outcome contradicts its expectation as a problem", async () => {
    const { mkdtemp, cp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const folder = await mkdtemp(join(tmpdir(), "portcullis-scenario-"));
    try {
      await cp(new URL("../../examples/findings/fail", import.meta.url).pathname, folder, {
        recursive: true,
      });
      await writeFile(
        join(folder, "scenario.json"),
        JSON.stringify({
          expect: "promoted",
          policy: new URL("../../examples/policies/portcullis.policy.yaml", import.meta.url).pathname,
        }),
      );
      const report = await harness.run({ folder }, "e2e/contradiction");
      expect(report.decision?.outcome).toBe("failed");
      expect(report.problems).toEqual([
        expect.stringMatching(/expects a promotion, but the decision was failed/),
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
