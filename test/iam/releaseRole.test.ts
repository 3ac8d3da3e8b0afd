import { describe, expect, it } from "vitest";
import { buildEnvironment } from "../../src/build/buildEnvironment.ts";
import { releaseCalls } from "./buildActions.ts";
import { BUILD_CONFIG, BUILD_NAMES } from "./buildDeployment.ts";
import { deployedPolicies, roleOf } from "./expectAllowed.ts";
import { refusedCalls } from "./simulateCalls.ts";

/** The variables `portcullis build start` passes, as StartBuildBatch's environmentVariablesOverride. */
function passedVariables(): { name: string; value: string; type: string }[] {
  const passed = buildEnvironment({
    commit: "0123456789abcdef0123456789abcdef01234567",
    ref: "refs/heads/main",
    sourceUrl: "https://github.com/octo-org/shop",
    runUrl: "https://github.com/octo-org/shop/actions/runs/1",
  });
  if (!passed.ok) throw new Error("buildEnvironment refused its own example");
  return passed.value.map((variable) => ({ ...variable, type: "PLAINTEXT" }));
}

/** How the release role's deployed policies answer one StartBuildBatch request: `Allowed` or the denial. */
async function verdict(input: Record<string, unknown>): Promise<string> {
  const deployed = await deployedPolicies(BUILD_CONFIG);
  const request = {
    projectName: BUILD_NAMES.project(""),
    sourceVersion: "0123456789abcdef0123456789abcdef01234567",
    environmentVariablesOverride: passedVariables(),
    ...input,
  };
  const calls = releaseCalls([{ name: "StartBuildBatchCommand", input: request }], BUILD_NAMES);
  const refused = await refusedCalls(calls, (caller) => roleOf(deployed, caller));
  return refused[0]?.result ?? "Allowed";
}

/** Issue 9 item 10: with the release role a caller picks the commit and passes its variables, nothing else. */
describe("the release role's StartBuildBatch, simulated against the deployed Build stack", () => {
  it("allows the request `portcullis build start` sends", async () => {
    expect(await verdict({})).toBe("Allowed");
  });

  it.each([
    ["a buildspec (build.sh replaced inline)", { buildspecOverride: "version: 0.2" }],
    ["another source location", { sourceLocationOverride: "https://github.com/attacker/shop" }],
    ["source credentials", { sourceAuthOverride: { type: "OAUTH", resource: "arn:aws:x" } }],
    ["insecure TLS to the source", { insecureSslOverride: true }],
    [
      "a secondary source (which carries build.sh)",
      { secondarySourcesOverride: [{ type: "S3", location: "attacker/b.zip", sourceIdentifier: "b" }] },
    ],
    ["another build image", { imageOverride: "public.ecr.aws/attacker/image:latest" }],
    ["another environment type", { environmentTypeOverride: "LINUX_CONTAINER" }],
    ["another compute type", { computeTypeOverride: "BUILD_GENERAL1_2XLARGE" }],
    ["privileged mode", { privilegedModeOverride: true }],
    ["a certificate", { certificateOverride: "attacker/ca.pem" }],
    ["registry credentials", { registryCredentialOverride: { credential: "x", credentialProvider: "x" } }],
    ["image pull credentials", { imagePullCredentialsTypeOverride: "SERVICE_ROLE" }],
    ["another service role", { serviceRoleOverride: "arn:aws:iam::123456789012:role/admin" }],
    ["batch limits", { buildBatchConfigOverride: { timeoutInMins: 480 } }],
    ["the batch's service role", { buildBatchConfigOverride: { serviceRole: "arn:aws:iam::1:role/x" } }],
    ["another KMS key", { encryptionKeyOverride: "arn:aws:kms:eu-west-1:123456789012:key/x" }],
    ["another cache", { cacheOverride: { type: "S3", location: "attacker/cache" } }],
    ["artifacts", { artifactsOverride: { type: "S3", location: "attacker" } }],
    ["secondary artifacts", { secondaryArtifactsOverride: [{ type: "S3", artifactIdentifier: "a" }] }],
    ["other logs", { logsConfigOverride: { cloudWatchLogs: { status: "DISABLED" } } }],
    [
      "a project variable (PORTCULLIS_IMAGE)",
      {
        environmentVariablesOverride: [
          ...passedVariables(),
          { name: "PORTCULLIS_IMAGE", value: "attacker/repo", type: "PLAINTEXT" },
        ],
      },
    ],
  ])("denies %s", async (_, override) => {
    expect(await verdict(override)).toBe("ExplicitlyDenied");
  });
});
