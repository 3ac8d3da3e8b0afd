import { ArnFormat, type Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";

/**
 * The ECR actions behind each registry operation the adapters perform (src/aws, src/registry). ECR serves the
 * OCI distribution API under IAM: a manifest GET/HEAD is BatchGetImage, a blob GET GetDownloadUrlForLayer, a
 * blob HEAD BatchCheckLayerAvailability, an upload Initiate/Upload/CompleteLayerUpload, a manifest PUT PutImage,
 * the tag list ListImages.
 */
export const ECR_ACTIONS = {
  /** Reading an index, its manifests and config blobs (register, the source side of replicate). */
  pull: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
  /** The tag list (register derives version tags from the tags already there). */
  listTags: ["ecr:ListImages"],
  /**
   * Moving promotion tags, whoever decides (register, gate, reconcile; demotion): the tag list (which tags the
   * candidate still earns, src/handlers/effects/promoteCandidate), the manifest read by digest, checked and PUT
   * under each tag.
   */
  tag: ["ecr:ListImages", "ecr:BatchGetImage", "ecr:PutImage"],
  /** Scan results, every page (src/aws/EcrFindingsSource). */
  findings: ["ecr:DescribeImageScanFindings"],
  /**
   * Attaching a decision's signed verification summary to the index (src/attest/pushAttestation): its two blobs
   * uploaded, the artifact manifest PUT by digest, the subject's referrers tag read and written (tag schema).
   */
  attest: [
    "ecr:BatchGetImage",
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
  ],
  /** Reading the build provenance in an index's attestation manifests (a policy's `provenance.required`). */
  provenance: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
  /** Copying into a replica: what is there already, blob uploads, manifests by digest and tag. */
  push: [
    "ecr:BatchGetImage",
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
  ],
  /** Creating a missing replica repository with its tags and lifecycle (src/aws/EcrRepositoryProvisioner). */
  provision: ["ecr:CreateRepository", "ecr:TagResource", "ecr:GetLifecyclePolicy", "ecr:PutLifecyclePolicy"],
} as const;

/**
 * Inspector reads behind ECR's DescribeImageScanFindings when the registry scans with Inspector (enhanced
 * scanning, an account-wide setting): ECR asks Inspector with the caller's permissions. Neither action has
 * resource-level permissions.
 */
export const INSPECTOR_FINDINGS_ACTIONS = ["inspector2:ListFindings", "inspector2:ListCoverage"] as const;

/** Grants `actions` on exactly `resources` to a role. */
export function allow(role: iam.IRole, actions: readonly string[], resources: readonly string[]): void {
  iam.Grant.addToPrincipal({ grantee: role, actions: [...actions], resourceArns: [...resources] });
}

/**
 * ECR's registry login (GetAuthorizationToken, user `AWS`): the one ECR action without resource-level
 * permissions, so the one granted on `*`.
 */
export function allowRegistryLogin(role: iam.IRole): void {
  allow(role, ["ecr:GetAuthorizationToken"], ["*"]);
}

/** The ARNs of the named repositories in a region of the stack's account. */
export function repositoryArns(stack: Stack, region: string, names: readonly string[]): string[] {
  return names.map((name) =>
    stack.formatArn({ service: "ecr", region, resource: "repository", resourceName: name }),
  );
}

/**
 * Lets ECR use a replica region's registry key on the role's behalf when the role creates a repository there
 * (ECR describes the key and creates its grants with the caller's permissions): only the key under the
 * registry alias (keys are named by alias in every region; their ids are not known here), only through ECR,
 * and grants only for AWS resources.
 */
export function allowRegistryKeyUse(role: iam.IRole, stack: Stack, region: string, alias: string): void {
  const keys = stack.formatArn({ service: "kms", region, resource: "key", resourceName: "*" });
  const scope = {
    "ForAnyValue:StringEquals": { "kms:ResourceAliases": alias },
    StringEquals: { "kms:ViaService": `ecr.${region}.amazonaws.com` },
  };
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ["kms:DescribeKey"], resources: [keys], conditions: scope }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ["kms:CreateGrant"],
      resources: [keys],
      conditions: { ...scope, Bool: { "kms:GrantIsForAWSResource": "true" } },
    }),
  );
}

/**
 * GetSecretValue (what Powertools' SecretsProvider calls) on one secret, named as configured: a name matches
 * the ARN Secrets Manager gives it (`name-` and six random characters); an ARN matches itself, complete or not.
 */
export function allowSecretRead(role: iam.IRole, stack: Stack, secret: string): void {
  const resources = secret.startsWith("arn:")
    ? [secret, `${secret}-??????`]
    : [
        `${stack.formatArn({
          service: "secretsmanager",
          resource: "secret",
          resourceName: secret,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })}-??????`,
      ];
  allow(role, ["secretsmanager:GetSecretValue"], resources);
}

/**
 * kms:Decrypt on the customer-managed key of the configured secrets, only when Secrets Manager asks on the role's
 * behalf (GetSecretValue decrypts with the caller's permissions; the AWS managed key needs no grant).
 */
export function allowSecretKeyUse(role: iam.IRole, keyArn: string, region: string): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ["kms:Decrypt"],
      resources: [keyArn],
      conditions: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    }),
  );
}
