import { z } from "zod";
import { type Digest, fail, normalizeSeverity, ok, type Severity } from "../core/index.ts";
import { compact } from "./compact.ts";
import { defineContract } from "./EventContract.ts";
import { type EventBase, type EventEnvelope, eventBase } from "./EventEnvelope.ts";
import {
  accountIdSchema,
  digestSchema,
  fromCoreParser,
  repositoryNameSchema,
  tagSchema,
} from "./fieldSchemas.ts";
import { registryMismatch } from "./registryMismatch.ts";

/** A vulnerable package named by a finding, with the version that fixes it when one exists. */
export interface VulnerablePackage {
  readonly name: string;
  readonly version?: string;
  readonly fixedInVersion?: string;
  readonly packageManager?: string;
}

/** An Inspector finding on an ECR image was created or changed (later CVEs arrive this way). */
export interface FindingChanged extends EventBase {
  readonly kind: "finding-changed";
  readonly repository: string;
  /** The image the finding is on: a platform image, not the index. */
  readonly digest: Digest;
  readonly tags: readonly string[];
  readonly architecture?: string;
  readonly findingArn: string;
  /** The vulnerability id, usually a CVE (`CVE-2019-17498`). */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: "ACTIVE" | "SUPPRESSED" | "CLOSED";
  readonly fixAvailable?: "YES" | "NO" | "PARTIAL";
  readonly exploitAvailable?: "YES" | "NO";
  /** Inspector's score (adjusted CVSS), when given. */
  readonly score?: number;
  readonly packages: readonly VulnerablePackage[];
  readonly sourceUrl?: string;
}

const ECR_IMAGE = "AWS_ECR_CONTAINER_IMAGE";

const severitySchema = fromCoreParser<Severity>((value) => {
  const severity = normalizeSeverity(value);
  if (severity) return ok(severity);
  const message = "must be a severity (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNTRIAGED)";
  return fail([{ field: "severity", value, message }]);
});

const ecrImage = z.object({
  repositoryName: repositoryNameSchema,
  imageHash: digestSchema,
  imageTags: z.array(tagSchema).default([]),
  registry: accountIdSchema,
  architecture: z.string().optional(),
});

const resource = z.object({
  type: z.string(),
  details: z.object({ awsEcrContainerImage: ecrImage.optional() }).optional(),
});

const vulnerablePackage = z.object({
  name: z.string().min(1),
  version: z.string().optional(),
  fixedInVersion: z.string().optional(),
  packageManager: z.string().optional(),
});

const detail = z.object({
  findingArn: z.string().min(1),
  title: z.string(),
  severity: severitySchema,
  status: z.enum(["ACTIVE", "SUPPRESSED", "CLOSED"]),
  fixAvailable: z.enum(["YES", "NO", "PARTIAL"]).optional(),
  exploitAvailable: z.enum(["YES", "NO"]).optional(),
  inspectorScore: z.number().optional(),
  packageVulnerabilityDetails: z.object({
    vulnerabilityId: z.string().min(1),
    sourceUrl: z.string().optional(),
    vulnerablePackages: z.array(vulnerablePackage).default([]),
  }),
  resources: z.array(resource).min(1),
});

type Detail = z.output<typeof detail>;

/**
 * `Inspector2 Finding` on an ECR image → `finding-changed`. The image is the first resource of type
 * AWS_ECR_CONTAINER_IMAGE; its registry must be the account the event came from.
 * https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html
 */
export const inspector2FindingContract = defineContract({
  source: "aws.inspector2",
  detailType: "Inspector2 Finding",
  detail,
  normalize(envelope, d) {
    const index = d.resources.findIndex((r) => r.type === ECR_IMAGE && r.details?.awsEcrContainerImage);
    const image = d.resources[index]?.details?.awsEcrContainerImage;
    if (!image) {
      const message = `must include a resource of type ${ECR_IMAGE} with details.awsEcrContainerImage`;
      return fail([{ field: "detail.resources", value: envelope.detail.resources, message }]);
    }
    const field = `detail.resources[${index}].details.awsEcrContainerImage.registry`;
    const issues = registryMismatch({ account: image.registry }, envelope, field, image.registry);
    if (issues.length > 0) return fail(issues);
    return ok(toFindingChanged(envelope, d, image));
  },
});

function toFindingChanged(
  envelope: EventEnvelope,
  d: Detail,
  image: z.output<typeof ecrImage>,
): FindingChanged {
  const vulnerability = d.packageVulnerabilityDetails;
  return compact({
    kind: "finding-changed",
    ...eventBase(envelope),
    repository: image.repositoryName,
    digest: image.imageHash,
    tags: image.imageTags,
    architecture: image.architecture,
    findingArn: d.findingArn,
    id: vulnerability.vulnerabilityId,
    title: d.title,
    severity: d.severity,
    status: d.status,
    fixAvailable: d.fixAvailable,
    exploitAvailable: d.exploitAvailable,
    score: d.inspectorScore,
    packages: vulnerability.vulnerablePackages.map((p) => compact({ ...p })),
    sourceUrl: vulnerability.sourceUrl,
  });
}
