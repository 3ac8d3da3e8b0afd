import { z } from "zod";
import { PASSABLE_SCAN_STATUSES, SCAN_STATUSES } from "../core/index.ts";
import {
  digestField,
  repositoryField,
  severityCountsField,
  severityField,
  timestampField,
} from "./awsFields.ts";

// AWS adds fields over time: objects are loose (unknown keys kept, never refused); what the gate reads is strict.

const basicFinding = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  uri: z.string().optional(),
  severity: severityField,
  attributes: z.array(z.looseObject({ key: z.string(), value: z.string().optional() })).optional(),
});

const vulnerablePackage = z.looseObject({
  name: z.string().min(1),
  version: z.string().optional(),
  epoch: z.number().int().optional(),
  release: z.string().optional(),
  fixedInVersion: z.string().optional(),
});

const enhancedFinding = z.looseObject({
  findingArn: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  severity: severityField,
  status: z.string().optional(),
  fixAvailable: z.string().optional(),
  exploitAvailable: z.string().optional(),
  score: z.number().optional(),
  scoreDetails: z
    .looseObject({ cvss: z.looseObject({ score: z.number().optional() }).optional() })
    .optional(),
  packageVulnerabilityDetails: z.looseObject({
    vulnerabilityId: z.string().min(1),
    sourceUrl: z.string().optional(),
    referenceUrls: z.array(z.string()).optional(),
    cvss: z
      .array(z.looseObject({ baseScore: z.number().optional(), version: z.string().optional() }))
      .optional(),
    vulnerablePackages: z.array(vulnerablePackage).optional(),
  }),
  remediation: z
    .looseObject({ recommendation: z.looseObject({ url: z.string().optional() }).optional() })
    .optional(),
});

/**
 * One DescribeImageScanFindings response page (ECR API, JSON 1.1 / AWS CLI / SDK v3 shapes), per
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImageScanFindings.html
 */
export const scanFindingsSchema = z
  .looseObject({
    registryId: z.string().optional(),
    repositoryName: repositoryField.optional(),
    imageId: z
      .looseObject({ imageDigest: digestField.optional(), imageTag: z.string().optional() })
      .optional(),
    imageScanStatus: z.looseObject({ status: z.enum(SCAN_STATUSES), description: z.string().optional() }),
    imageScanFindings: z
      .looseObject({
        imageScanCompletedAt: timestampField.optional(),
        vulnerabilitySourceUpdatedAt: timestampField.optional(),
        findingSeverityCounts: severityCountsField.optional(),
        findings: z.array(basicFinding).optional(),
        enhancedFindings: z.array(enhancedFinding).optional(),
      })
      .optional(),
    nextToken: z.string().optional(),
  })
  .superRefine((page, ctx) => {
    // A finished scan always carries its findings block; without it "no findings" would be a guess.
    if (PASSABLE_SCAN_STATUSES.includes(page.imageScanStatus.status) && !page.imageScanFindings) {
      const message = `is required when the scan status is ${page.imageScanStatus.status}`;
      ctx.addIssue({ code: "custom", path: ["imageScanFindings"], message, input: undefined });
    }
  });

/** A validated DescribeImageScanFindings page. */
export type ScanFindingsPage = z.output<typeof scanFindingsSchema>;
/** A validated basic (`findings[]`) entry. */
export type BasicFindingInput = z.output<typeof basicFinding>;
/** A validated enhanced (`enhancedFindings[]`) entry. */
export type EnhancedFindingInput = z.output<typeof enhancedFinding>;
