import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateHandler, createRegisterHandler, type NotificationBody } from "../../src/handlers/index.ts";
import { parsePolicy } from "../../src/policy/index.ts";
import { renderCheckRun } from "../../src/report/index.ts";
import { ecrScanEvent, pushEvent } from "./support/events.ts";
import { type Harness, harness, POLICY_TEXT, type Services, startServices } from "./support/harness.ts";
import { commit, type PushedBuild, pushBuild } from "./support/images.ts";

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => services?.stop());

const EXCEPTION = `${POLICY_TEXT}unsupportedImages:
  - repositories: ["team/single"]
    reason: scratch image with one static binary
    owner: platform-team
    expires: 2099-12-31
`;

async function withPolicy(text: string): Promise<Harness> {
  const policy = parsePolicy(text);
  if (!policy.ok) throw new Error(JSON.stringify(policy.error));
  return harness(services, { policy: policy.value });
}

let commits = 900;
async function scannedUnsupported(h: Harness, repository: string): Promise<PushedBuild> {
  const id = commit(commits++);
  const build = await pushBuild(services.client, repository, id, { revision: id, ref: "refs/heads/main" });
  await createRegisterHandler(h.deps)(
    pushEvent(repository, build.digest, build.tag, { time: h.clock.now() }),
  );
  const [amd64 = "sha256:", arm64 = "sha256:"] = build.children;
  h.findings.set(repository, amd64, "unsupported");
  h.findings.set(repository, arm64, "failed");
  const gate = createGateHandler(h.deps);
  const events = [
    ecrScanEvent(repository, arm64, "FAILED", { time: h.clock.advance(1) }),
    ecrScanEvent(repository, amd64, "UNSUPPORTED_IMAGE", { time: h.clock.advance(1) }),
  ];
  await Promise.all([...events, ...events.reverse()].map((event) => gate(event)));
  return build;
}

describe("images ECR cannot scan (#11 item 2)", () => {
  it("promotes with a matching exception, saying loudly in the check run and Slack that nothing was scanned", async () => {
    const h = await withPolicy(EXCEPTION);
    const build = await scannedUnsupported(h, "team/single");
    const state = await h.candidate(build.digest, "team/single");
    expect(state).toMatchObject({ phase: "promoted", decision: { outcome: "passed" } });
    expect((await h.tagBytes("team/single", "main"))?.equals(build.image.root.bytes)).toBe(true);
    const promoted = h.notifications.sent.filter(
      (n) => (n.body as NotificationBody).kind === "image-promoted",
    );
    expect(promoted).toHaveLength(1);
    const reasons = (promoted[0]?.body as NotificationBody | undefined)?.reasons ?? [];
    expect(reasons.filter((r) => r.startsWith("⚠️ ") && r.includes("NOT SCANNED"))).toHaveLength(2);
    if (state === undefined) throw new Error("no candidate");
    const summary = renderCheckRun({ candidate: state }).summary;
    expect(summary).toContain("> **Passed without a vulnerability scan.**");
    expect(summary).toMatch(/amd64: NOT SCANNED .*unsupportedImages/);
  });

  it("fails closed without a matching exception, whatever the order and redeliveries", async () => {
    const h = await withPolicy(EXCEPTION);
    const build = await scannedUnsupported(h, "team/app");
    expect(await h.candidate(build.digest)).toMatchObject({
      phase: "decided",
      decision: { outcome: "failed" },
    });
    expect(await h.tagBytes("team/app", "main")).toBeUndefined();
    expect(h.bus.of("Image Promoted")).toEqual([]);
  });
});
