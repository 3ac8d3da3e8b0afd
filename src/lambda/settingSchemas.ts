import { z } from "zod";
import { branchField, tagPatternField } from "../config/fields.ts";
import type { RepositorySettings } from "../config/repositorySettings.ts";
import { accountIdSchema, regionSchema, repositoryNameSchema } from "../events/fieldSchemas.ts";
import { LATEST_POLICIES, type TagRules } from "../tags/TagRules.ts";

/** A comma-separated list (`a,b`; spaces around items ignored; empty means none) of `item`. */
function list<O>(item: z.ZodType<O, string>) {
  return z
    .string()
    .transform((text) =>
      text
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item));
}

/** A JSON document validated by `schema`; a parse failure says "must be JSON", never echoing the text. */
function json<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be valid JSON", input: text });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** https, or plain http to a loopback host (tests and local fakes only). */
function httpsOrLoopback(value: string): boolean {
  const url = new URL(value);
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  return url.protocol === "https:" || (url.protocol === "http:" && loopback);
}

const resourceName = z.string().regex(/^[A-Za-z0-9_.\-/:]{1,2048}$/, {
  error: "must be a resource name or ARN (letters, digits and _ . - / :)",
});

const tagMutabilitySchema = z.strictObject({
  imageTagMutability: z.enum(["IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE"]),
  filters: z.array(z.string().regex(/^[A-Za-z0-9._*-]{1,128}$/)).max(5),
});

/** src/config's LifecycleRule: the two selections lifecyclePolicy() makes. */
const lifecycleRuleSchema = z.strictObject({
  rulePriority: z.int().min(1),
  description: z.string(),
  selection: z.discriminatedUnion("tagStatus", [
    z.strictObject({
      tagStatus: z.literal("tagged"),
      tagPatternList: z.array(z.string()),
      countType: z.literal("imageCountMoreThan"),
      countNumber: z.int().min(1),
    }),
    z.strictObject({
      tagStatus: z.literal("untagged"),
      countType: z.literal("sinceImagePushed"),
      countUnit: z.literal("days"),
      countNumber: z.int().min(1),
    }),
  ]),
  action: z.strictObject({ type: z.literal("expire") }),
});

/** src/config's RepositorySettings as the stack serializes it (JSON.stringify of repositorySettings(config)). */
export const repositorySettingsSchema = z.strictObject({
  scanOnPush: z.boolean(),
  tagMutability: tagMutabilitySchema,
  encryption: z.literal("KMS"),
  lifecyclePolicy: z.strictObject({ rules: z.array(lifecycleRuleSchema).min(1) }),
}) satisfies z.ZodType<RepositorySettings>;

/** src/tags's TagRules, complete, as the stack serializes it (the validated config's `tags`). */
export const tagRulesSchema = z.strictObject({
  defaultBranch: z.string().min(1),
  latest: z.enum(LATEST_POLICIES),
  floatingTags: z.boolean(),
  majorZeroTag: z.boolean(),
}) satisfies z.ZodType<TagRules>;

/**
 * Every environment variable a Portcullis function may read: the setting's name, the variable, and its schema.
 * Optional settings may be unset (or blank); `blankAllowed` ones must be set but may be blank.
 */
export const SETTINGS = {
  account: { env: "PORTCULLIS_ACCOUNT", schema: accountIdSchema },
  primaryRegion: { env: "PORTCULLIS_PRIMARY_REGION", schema: regionSchema },
  /** Required, but may be set to "" (no replica regions): unset is a wiring mistake, not "none". */
  replicaRegions: { env: "PORTCULLIS_REPLICA_REGIONS", schema: list(regionSchema), blankAllowed: true },
  repositories: {
    env: "PORTCULLIS_REPOSITORIES",
    schema: list(repositoryNameSchema).pipe(z.array(z.string()).min(1)),
  },
  tableName: {
    env: "PORTCULLIS_TABLE_NAME",
    schema: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: "must be a DynamoDB table name" }),
  },
  eventBusName: { env: "PORTCULLIS_EVENT_BUS", schema: resourceName },
  topicArn: {
    env: "PORTCULLIS_TOPIC_ARN",
    schema: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/, {
      error: "must be an SNS topic ARN",
    }),
  },
  policyFile: {
    env: "PORTCULLIS_POLICY_FILE",
    schema: z
      .string()
      .min(1)
      .refine((path) => !path.split("/").includes(".."), { error: "must not contain '..'" }),
  },
  repositorySettings: { env: "PORTCULLIS_REPOSITORY_SETTINGS", schema: json(repositorySettingsSchema) },
  /** The complete promotion tag rules (the validated configuration's `tags`); unset, src/tags's defaults. */
  tagRules: { env: "PORTCULLIS_TAG_RULES", schema: json(tagRulesSchema), optional: true },
  /** Branches whose builds may be promoted (`github.branches`); blank: none. */
  releaseBranches: { env: "PORTCULLIS_RELEASE_BRANCHES", schema: list(branchField), blankAllowed: true },
  /** Git tag patterns whose builds may be promoted (`github.tagPatterns`); blank: none. */
  releaseTagPatterns: {
    env: "PORTCULLIS_RELEASE_TAG_PATTERNS",
    schema: list(tagPatternField),
    blankAllowed: true,
  },
  /** Which ECR scanning the registry uses. */
  scanning: { env: "PORTCULLIS_SCANNING", schema: z.enum(["basic", "enhanced"]) },
  attestationKeyArn: {
    env: "PORTCULLIS_ATTESTATION_KEY_ARN",
    schema: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
        "must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)",
      ),
  },
  kmsKey: {
    env: "PORTCULLIS_KMS_KEY",
    schema: z.string().regex(/^alias\/[A-Za-z0-9/_-]{1,250}$/, {
      error: "must be a KMS alias (alias/…) that exists in every region",
    }),
    optional: true,
  },
  githubAppSecret: { env: "PORTCULLIS_GITHUB_APP_SECRET", schema: resourceName, optional: true },
  statusTokenSecret: { env: "PORTCULLIS_STATUS_TOKEN_SECRET", schema: resourceName, optional: true },
  /** GitHub's API root: unset for github.com, `https://HOST/api/v3` for GitHub Enterprise Server. */
  githubApiUrl: {
    env: "PORTCULLIS_GITHUB_API_URL",
    schema: z.url().refine(httpsOrLoopback, {
      error: "must be an https URL (e.g. https://github.example.com/api/v3); plain http only on loopback",
    }),
    optional: true,
  },
  slackWebhookSecret: { env: "PORTCULLIS_SLACK_WEBHOOK_SECRET", schema: resourceName, optional: true },
  maxReplicationAttempts: {
    env: "PORTCULLIS_MAX_REPLICATION_ATTEMPTS",
    schema: z.coerce.number().int().min(1).max(100),
    optional: true,
  },
} as const satisfies Record<
  string,
  { env: string; schema: z.ZodType; optional?: boolean; blankAllowed?: boolean }
>;

/** The name of one setting. */
export type SettingName = keyof typeof SETTINGS;

/** The validated value of a setting. */
export type SettingValue<N extends SettingName> = (typeof SETTINGS)[N] extends { optional: true }
  ? z.output<(typeof SETTINGS)[N]["schema"]> | undefined
  : z.output<(typeof SETTINGS)[N]["schema"]>;
