import { randomUUID } from "node:crypto";
import type { BuildStatus } from "../../events/index.ts";
import type { BuiltImage } from "./BuiltImage.ts";

/** Which build the event is about and where it claims to run. */
export interface CodeBuildEventInput {
  readonly account: string;
  readonly region: string;
  /** `HOST:PORT/REPOSITORY` the build pushed to (PORTCULLIS_IMAGE). */
  readonly imageName: string;
  readonly image: BuiltImage;
  /** One id per local build, shared by its events. */
  readonly buildId: string;
  readonly status: BuildStatus;
  readonly time: Date;
  /** Where the build's output is (the build log in the state folder). */
  readonly logs?: string;
}

/** The project name local builds claim. */
export const LOCAL_BUILD_PROJECT = "portcullis-local";

/**
 * A `CodeBuild Build State Change` event as CodeBuild sends it for the build that produced `image`, with the
 * PORTCULLIS_* variables `portcullis build start` sets, so the report handler can open the commit's check
 * run when the build starts, exactly as in AWS.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/sample-build-notifications.html
 * @example codeBuildEvent({ account, region, imageName, image, buildId: newBuildId(region, account), status: "IN_PROGRESS", time })
 */
export function codeBuildEvent(input: CodeBuildEventInput) {
  const { image } = input;
  const variables = {
    PORTCULLIS_BUILDER: "buildah",
    PORTCULLIS_IMAGE: input.imageName,
    PORTCULLIS_COMMIT: image.git.commit,
    PORTCULLIS_REF: image.git.ref,
    PORTCULLIS_SOURCE_URL: image.git.source,
    PORTCULLIS_STEP: "all",
  };
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "CodeBuild Build State Change",
    source: "aws.codebuild",
    account: input.account,
    time: input.time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: input.region,
    resources: [input.buildId],
    detail: {
      "build-status": input.status,
      "project-name": LOCAL_BUILD_PROJECT,
      "build-id": input.buildId,
      "current-phase": input.status === "IN_PROGRESS" ? "BUILD" : "COMPLETED",
      "additional-information": {
        "source-version": image.git.commit,
        initiator: "portcullis local",
        environment: {
          "environment-variables": Object.entries(variables).map(([name, value]) => ({
            name,
            value,
            type: "PLAINTEXT",
          })),
        },
        ...(input.logs && { logs: { "deep-link": `file://${input.logs}` } }),
      },
    },
  };
}

/** A build ARN for a local build. */
export function newBuildId(region: string, account: string): string {
  return `arn:aws:codebuild:${region}:${account}:build/${LOCAL_BUILD_PROJECT}:${randomUUID()}`;
}
