import { randomUUID } from "node:crypto";
import type { Digest, SeverityCounts } from "../../core/index.ts";
import type { ScanStatus } from "../../core/scanStatus.ts";

/** Where the events come from: the account and region ECR would put in the envelope. */
export interface EcrEventOrigin {
  readonly account: string;
  readonly region: string;
  /** Defaults to now. */
  readonly time?: Date;
}

/**
 * An `ECR Image Action` PUSH event exactly as ECR emits it for a tagged push.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
 * @example imagePushedEvent(origin, { repository: "team/app", digest, tag: "sha-…", mediaType })
 */
export function imagePushedEvent(
  origin: EcrEventOrigin,
  image: { repository: string; digest: Digest; tag: string; mediaType: string },
) {
  return {
    ...envelope(origin, "ECR Image Action"),
    resources: [],
    detail: {
      result: "SUCCESS",
      "repository-name": image.repository,
      "image-digest": image.digest,
      "action-type": "PUSH",
      "image-tag": image.tag,
      "manifest-media-type": image.mediaType,
    },
  };
}

/**
 * An `ECR Image Scan` event as basic scanning emits it for one platform image of an index: untagged
 * (`image-tags: []`), zero counts left out, the repository ARN in `resources`.
 * @example imageScanEvent(origin, { repository, digest: child, status: "COMPLETE", counts })
 */
export function imageScanEvent(
  origin: EcrEventOrigin,
  scan: { repository: string; digest: Digest; status: ScanStatus; counts?: SeverityCounts },
) {
  const counts = Object.fromEntries(Object.entries(scan.counts ?? {}).filter(([, n]) => n > 0));
  return {
    ...envelope(origin, "ECR Image Scan"),
    resources: [`arn:aws:ecr:${origin.region}:${origin.account}:repository/${scan.repository}`],
    detail: {
      "scan-status": scan.status,
      "repository-name": scan.repository,
      "finding-severity-counts": counts,
      "image-digest": scan.digest,
      "image-tags": [],
    },
  };
}

function envelope(origin: EcrEventOrigin, detailType: string) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": detailType,
    source: "aws.ecr",
    account: origin.account,
    time: (origin.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: origin.region,
  };
}

/**
 * An `Inspector2 Finding` event as Amazon Inspector emits it for a new finding on an ECR image (the shape of
 * the sample in the Amazon Inspector User Guide, "Creating custom responses to Amazon Inspector findings
 * with Amazon EventBridge"), with its human-formatted timestamps.
 * https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html
 * @example inspectorFindingEvent(origin, { repository, digest: amd64, id: "CVE-2023-38545", severity: "CRITICAL", title })
 */
export function inspectorFindingEvent(
  origin: EcrEventOrigin,
  finding: {
    repository: string;
    digest: Digest;
    id: string;
    severity: string;
    title: string;
    sourceUrl?: string;
  },
) {
  const when = (origin.time ?? new Date()).toLocaleString("en-US", {
    timeZone: "UTC",
    dateStyle: "medium",
    timeStyle: "medium",
  });
  const image = `arn:aws:ecr:${origin.region}:${origin.account}:repository/${finding.repository}/${finding.digest}`;
  return {
    ...envelope(origin, "Inspector2 Finding"),
    source: "aws.inspector2",
    resources: [image],
    detail: {
      awsAccountId: origin.account,
      findingArn: `arn:aws:inspector2:${origin.region}:${origin.account}:finding/${randomUUID().replace(/-/g, "")}`,
      firstObservedAt: when,
      lastObservedAt: when,
      updatedAt: when,
      packageVulnerabilityDetails: {
        vulnerabilityId: finding.id,
        ...(finding.sourceUrl && { sourceUrl: finding.sourceUrl }),
        vulnerablePackages: [],
      },
      resources: [
        {
          details: {
            awsEcrContainerImage: {
              imageHash: finding.digest,
              imageTags: [],
              registry: origin.account,
              repositoryName: finding.repository,
            },
          },
          id: image,
          partition: "N/A",
          region: "N/A",
          type: "AWS_ECR_CONTAINER_IMAGE",
        },
      ],
      severity: finding.severity,
      status: "ACTIVE",
      title: finding.title,
      type: "PACKAGE_VULNERABILITY",
    },
  };
}
