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
 * An `Inspector2 Finding` event on an ECR image, in the shape of AWS's documented sample (display timestamps
 * included), for one vulnerable package.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced-events.html
 * @example inspectorFindingEvent(origin, { repository, digest, id: "CVE-2023-38545", severity: "CRITICAL", status: "ACTIVE", package: "curl" })
 */
export function inspectorFindingEvent(
  origin: EcrEventOrigin,
  finding: {
    repository: string;
    digest: Digest;
    id: string;
    severity: string;
    status: string;
    package: string;
  },
) {
  const { account, region } = origin;
  const shown = (origin.time ?? new Date()).toUTCString();
  return {
    ...envelope(origin, "Inspector2 Finding"),
    source: "aws.inspector2",
    resources: [`arn:aws:ecr:${region}:${account}:repository/${finding.repository}`],
    detail: {
      awsAccountId: account,
      description: `${finding.id} in ${finding.package}`,
      findingArn: `arn:aws:inspector2:${region}:${account}:finding/${finding.digest.slice(7, 39)}${finding.id}`,
      firstObservedAt: shown,
      lastObservedAt: shown,
      updatedAt: shown,
      inspectorScore: 9.8,
      packageVulnerabilityDetails: {
        vulnerabilityId: finding.id,
        source: "NVD",
        sourceUrl: `https://nvd.nist.gov/vuln/detail/${finding.id}`,
        vulnerablePackages: [{ name: finding.package, version: "0", packageManager: "OS" }],
      },
      resources: [
        {
          details: {
            awsEcrContainerImage: {
              imageHash: finding.digest,
              imageTags: [],
              registry: account,
              repositoryName: finding.repository,
            },
          },
          id: `arn:aws:ecr:${region}:${account}:repository/${finding.repository}/${finding.digest}`,
          partition: "aws",
          region,
          type: "AWS_ECR_CONTAINER_IMAGE",
        },
      ],
      severity: finding.severity,
      status: finding.status,
      title: `${finding.id} - ${finding.package}`,
      type: "PACKAGE_VULNERABILITY",
    },
  };
}
