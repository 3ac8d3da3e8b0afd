import { z } from "zod";
import type { CandidateKey as CoreCandidateKey } from "../core/candidateKey.ts";
import { SCAN_STATUSES } from "../core/index.ts";
import { digestSchema, regionSchema, repositoryNameSchema, tagSchema } from "./fieldSchemas.ts";

/** The `source` of every event Portcullis publishes. */
export const PORTCULLIS_SOURCE = "portcullis";

/** The detail-types of Portcullis's own events. */
export const PortcullisDetailType = {
  CandidateRegistered: "Candidate Registered",
  ScanRecorded: "Scan Recorded",
  ReleaseDecided: "Release Decided",
  ImagePromoted: "Image Promoted",
  ImageReplicated: "Image Replicated",
  ReplicationFailed: "Replication Failed",
  FindingOnPromotedImage: "Finding On Promoted Image",
  ImageUnmonitored: "Image Unmonitored",
  ReleaseRolledBack: "Release Rolled Back",
} as const;
/** One of {@link PortcullisDetailType}'s values. */
export type PortcullisDetailType = (typeof PortcullisDetailType)[keyof typeof PortcullisDetailType];

/** A release candidate's key: (region, repository, index digest — or image digest if single-platform). */
export const candidateKeySchema = z.object({
  region: regionSchema,
  repository: repositoryNameSchema,
  digest: digestSchema,
}) satisfies z.ZodType<CoreCandidateKey>;
/** The core candidate key; the schema above is checked to produce exactly that shape. */
export type CandidateKey = CoreCandidateKey;

/** Where a candidate came from, as far as known (OCI annotations / labels of the index). */
export const gitInfoSchema = z.object({
  commit: z
    .string()
    .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, { error: "must be a full lowercase commit hash" })
    .optional(),
  ref: z.string().min(1).max(1024).optional(),
  source: z.string().min(1).max(2048).optional(),
});
/** Git metadata of a candidate; every field optional. */
export type GitInfo = z.output<typeof gitInfoSchema>;

const base = { candidate: candidateKeySchema, git: gitInfoSchema.default({}) };
const severity = z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"]);
const count = z.number().int().nonnegative();

/** The detail schema of each Portcullis event, keyed by detail-type. Small and generic on purpose. */
export const portcullisDetailSchemas = {
  "Candidate Registered": z.object({ ...base, platforms: z.array(digestSchema).default([]) }),
  "Scan Recorded": z.object({
    ...base,
    platform: digestSchema,
    scanner: z.enum(["basic", "enhanced"]),
    status: z.enum(SCAN_STATUSES),
    counts: z.object({
      CRITICAL: count,
      HIGH: count,
      MEDIUM: count,
      LOW: count,
      INFORMATIONAL: count,
      UNDEFINED: count,
    }),
  }),
  "Release Decided": z.object({
    ...base,
    outcome: z.enum(["passed", "failed", "timed-out"]),
    reasons: z.array(z.string()).default([]),
  }),
  "Image Promoted": z.object({ ...base, tags: z.array(tagSchema).min(1) }),
  "Image Replicated": z.object({ ...base, region: regionSchema, digest: digestSchema }),
  "Replication Failed": z.object({ ...base, region: regionSchema, error: z.string().min(1) }),
  "Finding On Promoted Image": z.object({
    ...base,
    findingId: z.string().min(1),
    severity,
    platform: digestSchema.optional(),
    action: z.enum(["notify", "demote"]),
    /** ISO 8601: with a grace period, when the tags leave the image unless the finding is gone by then. */
    demoteAt: z.string().min(1).optional(),
  }),
  "Image Unmonitored": z.object({
    ...base,
    /** The platform images whose scan is SCAN_ELIGIBILITY_EXPIRED. */
    platforms: z.array(digestSchema).min(1),
    since: z.string().min(1),
  }),
  /** An operator moved promotion tags back onto this candidate (`portcullis rollback`). */
  "Release Rolled Back": z.object({
    ...base,
    tags: z.array(tagSchema).min(1),
    /** Where each tag pointed before. */
    from: z.record(tagSchema, digestSchema).default({}),
    by: z.string().min(1).max(200),
    reason: z.string().min(1).max(1000),
    forced: z.boolean().default(false),
  }),
} satisfies Record<PortcullisDetailType, z.ZodType>;

/** The validated detail of a Portcullis event of type `T`. */
export type PortcullisDetail<T extends PortcullisDetailType> = z.output<(typeof portcullisDetailSchemas)[T]>;

/** What a publisher passes for a detail of type `T` (defaults such as `git: {}` may be left out). */
export type PortcullisDetailInput<T extends PortcullisDetailType> = z.input<
  (typeof portcullisDetailSchemas)[T]
>;
