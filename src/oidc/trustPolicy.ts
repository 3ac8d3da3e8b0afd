import { ASSUME_ACTION, AUD_KEY, STS_AUDIENCE, SUB_KEY } from "./githubOidc.ts";
import { githubSubjects } from "./githubSubjects.ts";
import type { ReleaseIdentity } from "./ReleaseIdentity.ts";
import type { TrustPolicyDocument, TrustStatement } from "./TrustPolicyDocument.ts";

/** What {@link trustPolicy} builds from. */
export interface TrustPolicyInput {
  /** ARN of the account's GitHub OIDC provider (a CloudFormation token in the stacks). */
  readonly providerArn: string;
  readonly identity: ReleaseIdentity;
}

/**
 * The release role's trust policy: `aud` must be `sts.amazonaws.com` and `sub` one of the identity's
 * subjects, compared with StringEquals. Tag patterns go in a second statement with StringLike, each anchored
 * to `repo:OWNER/REPO:ref:refs/tags/`. Never `repo:OWNER/*`, never `pull_request`. The stacks deploy exactly
 * this document and `portcullis trust-policy` prints it.
 * @example trustPolicy({ providerArn, identity: { owner: "o", repo: "r", branches: ["main"], tagPatterns: [], environments: [] } })
 */
export function trustPolicy(input: TrustPolicyInput): TrustPolicyDocument {
  const { exact, patterns } = githubSubjects(input.identity);
  const statements: TrustStatement[] = [];
  if (exact.length > 0)
    statements.push(
      statement(input.providerArn, "GitHubReleaseRefs", {
        StringEquals: { [AUD_KEY]: STS_AUDIENCE, [SUB_KEY]: [...exact] },
      }),
    );
  if (patterns.length > 0)
    statements.push(
      statement(input.providerArn, "GitHubReleaseTagPatterns", {
        StringEquals: { [AUD_KEY]: STS_AUDIENCE },
        StringLike: { [SUB_KEY]: [...patterns] },
      }),
    );
  return { Version: "2012-10-17", Statement: statements };
}

function statement(providerArn: string, sid: string, condition: TrustStatement["Condition"]): TrustStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: ASSUME_ACTION,
    Condition: condition,
  };
}
