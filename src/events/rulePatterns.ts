import { parseRepositoryName, parseTagName, ValidationError, type ValidationIssue } from "../core/index.ts";
import type { EventPattern, PatternMatcher } from "./EventPattern.ts";
import { PORTCULLIS_SOURCE, PortcullisDetailType } from "./portcullisDetails.ts";

/** What the rules listen to. */
export interface RulePatternOptions {
  /** Repositories Portcullis gates. Omitted: every repository in the account and region. */
  readonly repositories?: readonly string[];
  /** Prefix of the immutable build tag whose push registers a candidate. */
  readonly buildTagPrefix?: string;
  /** CodeBuild projects whose builds are followed. Omitted: every project. */
  readonly buildProjects?: readonly string[];
}

/** Defaults for {@link rulePatterns}. */
export const rulePatternDefaults = { buildTagPrefix: "sha-" } as const;

/** The named rule patterns, one per Lambda or local-bus subscriber. */
export interface RulePatterns {
  /** A build tag (`sha-…`) pushed successfully: register a candidate. */
  readonly register: EventPattern;
  /** A basic (ECR) or enhanced (Inspector) scan of a platform image finished: feed the gate. */
  readonly gate: EventPattern;
  /** An Inspector finding on an ECR image was created or changed (e.g. a new CVE on a promoted image). */
  readonly findingChanged: EventPattern;
  /** ECR native replication reported on an image (destination region). */
  readonly replication: EventPattern;
  /** A CodeBuild build changed state. */
  readonly build: EventPattern;
  readonly candidateRegistered: EventPattern;
  readonly scanRecorded: EventPattern;
  readonly decided: EventPattern;
  readonly promoted: EventPattern;
  readonly replicated: EventPattern;
  readonly replicationFailed: EventPattern;
  readonly findingOnPromoted: EventPattern;
  readonly imageUnmonitored: EventPattern;
  /** An operator rolled promotion tags back onto a release (`portcullis rollback`). */
  readonly rolledBack: EventPattern;
  /** Every Portcullis event (reporting, notification). */
  readonly portcullis: EventPattern;
}

/**
 * THE EventBridge rule patterns, in EventBridge's own JSON form: the stacks pass them to `events.Rule`
 * (through {@link toCdkEventPattern}) and the local bus matches them with {@link matchesPattern}.
 *
 * Repository scoping: ECR events carry the plain name in `detail.repository-name`, but Inspector2 Scan
 * carries the repository ARN there. The gate therefore accepts, per repository, the exact name or the
 * suffix `:repository/NAME`. That suffix is exact: an ARN has one `:` before `repository/`, and names
 * never contain `:`, so `team/app` cannot match `other/team/app` or `team/app2`. (A wildcard like
 * `arn:aws:ecr:*:*:repository/NAME` would also match `repository/NAME` nested inside a longer name.)
 * Inspector2 Finding names the repository as a plain `repositoryName` inside `detail.resources[]`.
 * Source and detail-type lists are crossed (e.g. aws.ecr × Inspector2 Scan), which is harmless: only AWS
 * can emit `aws.*` sources, and {@link normalizeEvent} refuses such pairs anyway.
 * Throws {@link ValidationError} for an invalid repository, project list or tag prefix (synth time).
 * @example new events.Rule(stack, "Gate", { eventPattern: toCdkEventPattern(rulePatterns({ repositories }).gate) })
 */
export function rulePatterns(options: RulePatternOptions = {}): RulePatterns {
  const { repositories, buildTagPrefix, buildProjects } = validate(options);
  const names = repositories && { "repository-name": repositories };
  const own = (detailType: PortcullisDetailType): EventPattern => ({
    source: [PORTCULLIS_SOURCE],
    "detail-type": [detailType],
  });
  return {
    register: {
      source: ["aws.ecr"],
      "detail-type": ["ECR Image Action"],
      detail: {
        "action-type": ["PUSH"],
        result: ["SUCCESS"],
        "image-tag": [{ prefix: buildTagPrefix }],
        ...names,
      },
    },
    gate: {
      source: ["aws.ecr", "aws.inspector2"],
      "detail-type": ["ECR Image Scan", "Inspector2 Scan"],
      ...(repositories && { detail: { "repository-name": nameOrArn(repositories) } }),
    },
    findingChanged: {
      source: ["aws.inspector2"],
      "detail-type": ["Inspector2 Finding"],
      detail: {
        resources: {
          type: ["AWS_ECR_CONTAINER_IMAGE"],
          ...(repositories && { details: { awsEcrContainerImage: { repositoryName: repositories } } }),
        },
      },
    },
    replication: {
      source: ["aws.ecr"],
      "detail-type": ["ECR Replication Action"],
      detail: { "action-type": ["REPLICATE"], ...names },
    },
    build: {
      source: ["aws.codebuild"],
      "detail-type": ["CodeBuild Build State Change"],
      ...(buildProjects && { detail: { "project-name": buildProjects } }),
    },
    candidateRegistered: own(PortcullisDetailType.CandidateRegistered),
    scanRecorded: own(PortcullisDetailType.ScanRecorded),
    decided: own(PortcullisDetailType.ReleaseDecided),
    promoted: own(PortcullisDetailType.ImagePromoted),
    replicated: own(PortcullisDetailType.ImageReplicated),
    replicationFailed: own(PortcullisDetailType.ReplicationFailed),
    findingOnPromoted: own(PortcullisDetailType.FindingOnPromotedImage),
    imageUnmonitored: own(PortcullisDetailType.ImageUnmonitored),
    rolledBack: own(PortcullisDetailType.ReleaseRolledBack),
    portcullis: { source: [PORTCULLIS_SOURCE] },
  };
}

/** The names of {@link RulePatterns}, for iterating (tests, the local bus). */
export const RULE_PATTERN_NAMES = Object.keys(rulePatterns()) as (keyof RulePatterns)[];

function nameOrArn(repositories: readonly string[]): PatternMatcher[] {
  return [...repositories, ...repositories.map((name) => ({ suffix: `:repository/${name}` }))];
}

interface Validated {
  repositories?: string[];
  buildTagPrefix: string;
  buildProjects?: string[];
}

function validate(options: RulePatternOptions): Validated {
  const issues: ValidationIssue[] = [];
  const repositories = options.repositories && [...new Set(options.repositories)];
  repositories?.forEach((name, i) => {
    const parsed = parseRepositoryName(name, `repositories[${i}]`);
    if (!parsed.ok) issues.push(...parsed.error);
  });
  const buildTagPrefix = options.buildTagPrefix ?? rulePatternDefaults.buildTagPrefix;
  const prefixCheck = parseTagName(`${buildTagPrefix}0`, "buildTagPrefix");
  if (buildTagPrefix === "" || !prefixCheck.ok)
    issues.push({
      field: "buildTagPrefix",
      value: buildTagPrefix,
      message: "must be a non-empty start of a valid tag",
    });
  const buildProjects = options.buildProjects && [...new Set(options.buildProjects)];
  buildProjects?.forEach((name, i) => {
    if (name === "") issues.push({ field: `buildProjects[${i}]`, value: name, message: "must not be empty" });
  });
  for (const [field, list] of [
    ["repositories", repositories],
    ["buildProjects", buildProjects],
  ] as const)
    if (list?.length === 0)
      issues.push({ field, value: list, message: "must list at least one entry, or be omitted to mean all" });
  if (issues.length > 0) throw new ValidationError("rule pattern options", issues);
  return { repositories, buildTagPrefix, buildProjects };
}
