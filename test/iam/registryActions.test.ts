import { describe, expect, it } from "vitest";
import { registryActions } from "./registryActions.ts";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const TOKEN = "ecr:GetAuthorizationToken";

describe("registryActions", () => {
  it.each([
    ["GET", "/v2/", undefined, []],
    ["GET", `/v2/team/app/manifests/${DIGEST}`, "team/app", ["ecr:BatchGetImage"]],
    ["HEAD", "/v2/team/app/manifests/1.2.3", "team/app", ["ecr:BatchGetImage"]],
    ["PUT", "/v2/team/app/manifests/latest", "team/app", ["ecr:PutImage"]],
    ["GET", `/v2/team/app/blobs/${DIGEST}`, "team/app", ["ecr:GetDownloadUrlForLayer"]],
    ["HEAD", `/v2/team/app/blobs/${DIGEST}`, "team/app", ["ecr:BatchCheckLayerAvailability"]],
    ["POST", "/v2/team/app/blobs/uploads/", "team/app", ["ecr:InitiateLayerUpload"]],
    ["PATCH", "/v2/team/app/blobs/uploads/5f0c?_state=x", "team/app", ["ecr:UploadLayerPart"]],
    [
      "PUT",
      `/v2/team/app/blobs/uploads/5f0c?_state=x&digest=${DIGEST}`,
      "team/app",
      ["ecr:UploadLayerPart", "ecr:CompleteLayerUpload"],
    ],
    ["GET", "/v2/team/app/tags/list?n=100&last=b", "team/app", ["ecr:ListImages"]],
    ["GET", `/v2/team/app/referrers/${DIGEST}?artifactType=x`, "team/app", ["ecr:BatchGetImage"]],
  ])("maps %s %s to the ECR actions IAM checks", (method, path, repository, actions) => {
    expect(registryActions({ method, path })).toEqual({
      ...(repository !== undefined && { repository }),
      actions: [TOKEN, ...actions],
    });
  });

  it.each([
    ["DELETE", `/v2/team/app/manifests/${DIGEST}`],
    ["GET", "/v2/_catalog"],
    ["GET", "/v2/team/app/referrers/not-a-digest"],
    ["GET", "/v2/team/app/blobs/not-a-digest"],
  ])("leaves %s %s unmapped, so the recorder reports it instead of letting it through", (method, path) => {
    expect(registryActions({ method, path })).toBeUndefined();
  });
});
