/**
 * The ECR IAM actions behind one OCI distribution API request, as ECR authorizes its registry API
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html and image-pull-iam.html):
 * manifest GET/HEAD BatchGetImage, manifest PUT PutImage, blob GET GetDownloadUrlForLayer, blob HEAD
 * BatchCheckLayerAvailability, upload start/chunk/finish Initiate/UploadLayerPart/CompleteLayerUpload, tag list
 * ListImages, referrers BatchGetImage. Every request carries a token from GetAuthorizationToken. `undefined` for a request no mapping
 * covers, which the recorder reports as a failure rather than let through.
 */
export interface RegistryRequest {
  readonly method: string;
  /** The request target, e.g. `/v2/team/app/manifests/sha256:…?…`. */
  readonly path: string;
}

/** What a request needs: the repository it is about (none for the `/v2/` ping) and the actions. */
export interface RegistryActions {
  readonly repository?: string;
  readonly actions: readonly string[];
}

const ROUTES: readonly [method: string, pattern: RegExp, actions: readonly string[]][] = [
  ["GET", /^\/v2\/$/, []],
  ["GET", /^\/v2\/(.+)\/manifests\/[^/]+$/, ["ecr:BatchGetImage"]],
  ["HEAD", /^\/v2\/(.+)\/manifests\/[^/]+$/, ["ecr:BatchGetImage"]],
  ["PUT", /^\/v2\/(.+)\/manifests\/[^/]+$/, ["ecr:PutImage"]],
  ["GET", /^\/v2\/(.+)\/blobs\/sha256:[0-9a-f]{64}$/, ["ecr:GetDownloadUrlForLayer"]],
  ["HEAD", /^\/v2\/(.+)\/blobs\/sha256:[0-9a-f]{64}$/, ["ecr:BatchCheckLayerAvailability"]],
  ["POST", /^\/v2\/(.+)\/blobs\/uploads\/$/, ["ecr:InitiateLayerUpload"]],
  ["PATCH", /^\/v2\/(.+)\/blobs\/uploads\/[^/]+$/, ["ecr:UploadLayerPart"]],
  // A PUT that ends an upload may carry the last (or only) chunk.
  ["PUT", /^\/v2\/(.+)\/blobs\/uploads\/[^/]+$/, ["ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]],
  ["GET", /^\/v2\/(.+)\/tags\/list$/, ["ecr:ListImages"]],
  // The OCI referrers API: ECR authorizes listing an image's referrers with BatchGetImage (Amazon ECR API
  // Reference, ListImageReferrers: "must have the ecr:BatchGetImage permission").
  ["GET", /^\/v2\/(.+)\/referrers\/sha256:[0-9a-f]{64}$/, ["ecr:BatchGetImage"]],
];

/** The ECR actions of one registry request, with the token every request needs. */
export function registryActions(request: RegistryRequest): RegistryActions | undefined {
  const path = request.path.split("?")[0] ?? "";
  for (const [method, pattern, actions] of ROUTES) {
    const match = request.method === method ? pattern.exec(path) : null;
    if (match === null) continue;
    return {
      ...(match[1] !== undefined && { repository: decodeURIComponent(match[1]) }),
      actions: ["ecr:GetAuthorizationToken", ...actions],
    };
  }
  return undefined;
}
