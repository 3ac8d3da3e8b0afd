import { randomUUID } from "node:crypto";
import type { Digest, ScanStatus } from "../../../src/core/index.ts";
import { validSample } from "../../events/awsSamples.ts";

/** Where test events come from: the account and region the handlers are configured for. */
export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

/** Envelope fields a test may override. */
export interface EnvelopeOverrides {
  readonly id?: string;
  readonly time?: Date;
  readonly account?: string;
  readonly region?: string;
}

function envelope(sample: Record<string, unknown>, overrides: EnvelopeOverrides): Record<string, unknown> {
  return {
    ...sample,
    id: overrides.id ?? randomUUID(),
    time: (overrides.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    account: overrides.account ?? ACCOUNT,
    region: overrides.region ?? REGION,
  };
}

/** AWS's `ECR Image Action` PUSH sample (valid digest substituted), for this repository, digest and tag. */
export function pushEvent(
  repository: string,
  digest: Digest,
  tag: string | undefined,
  overrides: EnvelopeOverrides = {},
): Record<string, unknown> {
  const sample = validSample("ecr-image-action.push.json");
  const detail: Record<string, unknown> = {
    ...(sample.detail as Record<string, unknown>),
    "repository-name": repository,
    "image-digest": digest,
  };
  if (tag === undefined) delete detail["image-tag"];
  else detail["image-tag"] = tag;
  return { ...envelope(sample, overrides), detail };
}

/** AWS's `ECR Image Scan` sample (basic scanning) for a platform image. */
export function ecrScanEvent(
  repository: string,
  digest: Digest,
  status: ScanStatus,
  overrides: EnvelopeOverrides & { counts?: Record<string, number> } = {},
): Record<string, unknown> {
  const sample = validSample("ecr-image-scan.basic.json");
  const region = overrides.region ?? REGION;
  const account = overrides.account ?? ACCOUNT;
  return {
    ...envelope(sample, overrides),
    resources: [`arn:aws:ecr:${region}:${account}:repository/${repository}`],
    detail: {
      ...(sample.detail as Record<string, unknown>),
      "scan-status": status,
      "repository-name": repository,
      "image-digest": digest,
      "finding-severity-counts": overrides.counts ?? {},
    },
  };
}

/**
 * AWS's `Inspector2 Scan` sample (enhanced scanning; the repository as an ARN) for a platform image, counting
 * `counts` (none unless given: the sample's own counts would be a floor no test image's findings reach).
 */
export function inspectorScanEvent(
  repository: string,
  digest: Digest,
  overrides: EnvelopeOverrides & { arnAccount?: string; counts?: Record<string, number> } = {},
): Record<string, unknown> {
  const sample = validSample("inspector2-scan.ecr-userguide.json");
  const region = overrides.region ?? REGION;
  const arn = `arn:aws:ecr:${region}:${overrides.arnAccount ?? overrides.account ?? ACCOUNT}:repository/${repository}`;
  return {
    ...envelope(sample, overrides),
    resources: [arn],
    detail: {
      ...(sample.detail as Record<string, unknown>),
      "repository-name": arn,
      "image-digest": digest,
      "image-tags": [],
      "finding-severity-counts": overrides.counts ?? {},
    },
  };
}

/** AWS's `Inspector2 Finding` sample on a platform image. */
export function findingEvent(
  repository: string,
  digest: Digest,
  overrides: EnvelopeOverrides & { status?: string; findingArn?: string } = {},
): Record<string, unknown> {
  const sample = validSample("inspector2-finding.ecr-image.json");
  const detail = sample.detail as Record<string, unknown>;
  const [resource] = detail.resources as Record<string, Record<string, Record<string, unknown>>>[];
  const image = {
    ...resource?.details?.awsEcrContainerImage,
    repositoryName: repository,
    imageHash: digest,
    registry: overrides.account ?? ACCOUNT,
  };
  return {
    ...envelope(sample, overrides),
    detail: {
      ...detail,
      awsAccountId: overrides.account ?? ACCOUNT,
      status: overrides.status ?? "ACTIVE",
      findingArn: overrides.findingArn ?? detail.findingArn,
      resources: [{ ...resource, details: { awsEcrContainerImage: image } }],
    },
  };
}

/** An EventBridge scheduled-rule event, as the reconcile schedule sends it. */
export function scheduledEvent(overrides: EnvelopeOverrides = {}): Record<string, unknown> {
  return {
    version: "0",
    "detail-type": "Scheduled Event",
    source: "aws.events",
    resources: [
      `arn:aws:events:${overrides.region ?? REGION}:${overrides.account ?? ACCOUNT}:rule/portcullis-reconcile`,
    ],
    detail: {},
    ...envelope({}, overrides),
  };
}
