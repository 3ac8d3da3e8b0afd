import { z } from "zod";
import {
  branchField,
  environmentField,
  kmsKeyArnField,
  regionField,
  repoPathField,
  repositoryNameField,
  secretRefField,
  tagPatternField,
} from "./fields.ts";
import { PLATFORMS } from "./platforms.ts";

/** CloudWatch Logs retention periods (days) that CloudFormation accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653,
] as const;

const unique = <T>(items: readonly T[]) => new Set(items).size === items.length;

/**
 * The BuildKit image buildx's docker-container driver runs in each platform job. BuildKit v0.29.0, pinned by
 * the digest of moby/buildkit:v0.29.0 on Docker Hub, served from the ECR Public Gallery mirror
 * (gallery.ecr.aws/vend/moby/buildkit): no anonymous Docker Hub pull, whose per-address limit CodeBuild's
 * shared egress addresses exhaust, and a mirror that served other bytes fails the pull instead of running them.
 */
export const DEFAULT_BUILDKIT_IMAGE =
  "public.ecr.aws/vend/moby/buildkit:v0.29.0@sha256:0039c1d47e8748b5afea56f4e85f14febaf34452bd99d9552d2daa82262b5cc5";

/** An image reference pinned by digest: REGISTRY/REPOSITORY[:TAG]@sha256:<64 hex>. */
const pinnedImageField = z
  .string()
  .regex(
    /^[a-z0-9.-]+(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)+(?::\w[\w.-]{0,127})?@sha256:[0-9a-f]{64}$/,
    {
      error:
        "must be an image reference with its registry, pinned by digest (REGISTRY/REPOSITORY[:TAG]@sha256:<64 hex>)",
    },
  );

/** One function's reserved concurrency (`functions.reservedConcurrency.<name>`); absent reserves nothing. */
const reservedConcurrencyField = z.int().min(1).max(1000).optional();

/** One image repository Portcullis builds, scans, promotes and replicates. */
export const repositorySchema = z.strictObject({
  /** ECR repository name, e.g. `team/app`. */
  name: repositoryNameField,
  /** Build context, relative to the root of the GitHub repository. */
  context: repoPathField.default("."),
  /** Dockerfile, relative to the build context. */
  dockerfile: repoPathField.default("Dockerfile"),
  /**
   * The Dockerfile the local pipeline (`portcullis local`, offline) builds instead, e.g. a `FROM scratch`
   * variant of one whose base image it cannot pull. AWS always builds `dockerfile`. Default: `dockerfile`.
   */
  localDockerfile: repoPathField.optional(),
  /** Platforms built natively, each in its own CodeBuild job. */
  platforms: z
    .array(z.enum(PLATFORMS))
    .min(1)
    .refine(unique, { error: "must not list a platform twice" })
    .default([...PLATFORMS]),
});

/** The GitHub repository whose pushes may release, and what may release. */
export const githubSchema = z.strictObject({
  /** User or organization, exactly as GitHub spells it (the OIDC subject is case-sensitive). */
  owner: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, {
    error: "must be a GitHub user or organization name (letters, digits, single '-', at most 39 characters)",
  }),
  /** Repository name, exactly as GitHub spells it. */
  repo: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, {
      error: "must be a GitHub repository name ([A-Za-z0-9._-], at most 100)",
    })
    .refine((name) => name !== "." && name !== ".." && !name.endsWith(".git"), {
      error: "must be the repository name itself (not '.', '..' or ending in .git)",
    }),
  /** Branches whose pushes may assume the release role (StringEquals). */
  branches: z.array(branchField).refine(unique, { error: "must not list a branch twice" }).default(["main"]),
  /** Git tag patterns whose pushes may assume the release role (`v*`). */
  tagPatterns: z
    .array(tagPatternField)
    .refine(unique, { error: "must not list a pattern twice" })
    .default([]),
  /** Deployment environments whose jobs may assume the release role. */
  environments: z
    .array(environmentField)
    .refine(unique, { error: "must not list an environment twice" })
    .default([]),
  /** An existing GitHub OIDC provider in the account (an account holds one per issuer URL). */
  oidcProviderArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
      error: "must be the ARN of the token.actions.githubusercontent.com OIDC provider",
    })
    .optional(),
  /** A CodeConnections (CodeStar) connection CodeBuild uses to clone a private repository. */
  connectionArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:(?:codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]+$/,
      {
        error: "must be a CodeConnections connection ARN",
      },
    )
    .optional(),
});

/** Overrides of the promotion tag rules (src/tags `TagRules`). */
export const tagRulesSchema = z.strictObject({
  defaultBranch: branchField.optional(),
  latest: z.enum(["default-branch", "release", "both", "none"]).optional(),
  floatingTags: z.boolean().optional(),
  majorZeroTag: z.boolean().optional(),
});

/** Where pass/fail reports go on GitHub. */
export const reportSchema = z.discriminatedUnion(
  "kind",
  [
    /** A check run with the findings table, posted as a GitHub App (app id, installation id, private key). */
    z.strictObject({ kind: z.literal("check-run"), githubAppSecret: secretRefField }),
    /** A commit status, posted with a token (fallback when no App can be installed). */
    z.strictObject({ kind: z.literal("commit-status"), statusTokenSecret: secretRefField }),
  ],
  { error: 'must have kind "check-run" (with githubAppSecret) or "commit-status" (with statusTokenSecret)' },
);

/** The whole Portcullis configuration, as written in `portcullis.config.ts`. */
export const configSchema = z.strictObject({
  /** Region of the build, the state and the primary registry. */
  primaryRegion: regionField,
  /** Regions promoted images are copied to, digest-identical. */
  replicaRegions: z.array(regionField).default([]),
  repositories: z.array(repositorySchema).min(1),
  github: githubSchema,
  /** `basic`: ECR scan on push. `enhanced`: Inspector, registry-wide, continuous. */
  scanning: z.enum(["basic", "enhanced"]).default("basic"),
  /**
   * Regions (the primary and/or replicas) where the Registry stack owns the account's registry scanning
   * configuration, setting it to `scanning` for the configured repositories. It is one resource per account and
   * region, shared by every repository there: list a region only when nothing else manages it. Elsewhere the
   * account's setting is left as it is, and the functions can read findings whichever way the registry scans.
   */
  manageRegistryScanning: z
    .array(regionField)
    .refine(unique, { error: "must not list a region twice" })
    .default([]),
  /** Gate policy file, relative to the configuration file. */
  policyFile: repoPathField.default("portcullis.policy.yaml"),
  tags: tagRulesSchema.default({}),
  registry: z
    .strictObject({
      /**
       * `immutable-with-exclusion`: every tag frozen except the promotion tags (ECR allows 5 filters).
       * `mutable-with-exclusion`: only build tags (`sha-*`) frozen.
       */
      tagMutability: z
        .enum(["immutable-with-exclusion", "mutable-with-exclusion"])
        .default("immutable-with-exclusion"),
      /** Untagged manifests (orphans of expired indexes) expire after this many days. */
      untaggedExpiryDays: z.int().min(1).max(3650).default(14),
      /** Build images (`sha-*`) kept beyond those promoted; older ones expire. */
      keepBuildImages: z.int().min(1).max(10_000).default(100),
    })
    .default({ tagMutability: "immutable-with-exclusion", untaggedExpiryDays: 14, keepBuildImages: 100 }),
  build: z
    .strictObject({
      /** A batch running longer fails. */
      timeoutMinutes: z.int().min(5).max(2160).default(60),
      /** CloudWatch Logs retention of the build logs, in days. */
      logRetentionDays: z
        .number()
        .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
          error: `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
        })
        .default(30),
      /** The BuildKit image of buildx's docker-container driver in the platform jobs, pinned by digest. */
      buildkitImage: pinnedImageField.default(DEFAULT_BUILDKIT_IMAGE),
    })
    .default({ timeoutMinutes: 60, logRetentionDays: 30, buildkitImage: DEFAULT_BUILDKIT_IMAGE }),
  functions: z
    .strictObject({
      /**
       * Concurrency reserved for (and capping) each function; none by default. Reserving takes from the account's
       * regional limit, which must keep 100 unreserved: new accounts with a limit of 10 can reserve nothing.
       */
      reservedConcurrency: z
        .strictObject({
          register: reservedConcurrencyField,
          gate: reservedConcurrencyField,
          reconcile: reservedConcurrencyField,
          replicate: reservedConcurrencyField,
          report: reservedConcurrencyField,
          notify: reservedConcurrencyField,
        })
        .default({}),
    })
    .default({ reservedConcurrency: {} }),
  report: reportSchema.optional(),
  slack: z.strictObject({ webhookSecret: secretRefField }).optional(),
  /**
   * The customer-managed KMS key the report and Slack secrets are encrypted with: the report and notify functions
   * may decrypt with it through Secrets Manager. Omit when the secrets use the AWS managed key (aws/secretsmanager).
   */
  secretsKmsKey: kmsKeyArnField.optional(),
});
