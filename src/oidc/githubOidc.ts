/** The issuer host of GitHub Actions' OIDC tokens, and the prefix of its IAM condition keys. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The issuer URL the IAM OIDC provider is created for. */
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** The audience aws-actions/configure-aws-credentials requests, which the trust policy must require. */
export const STS_AUDIENCE = "sts.amazonaws.com";
/** The condition key holding the token's audience. */
export const AUD_KEY = `${GITHUB_OIDC_HOST}:aud`;
/** The condition key holding the token's subject (`repo:OWNER/REPO:…`). */
export const SUB_KEY = `${GITHUB_OIDC_HOST}:sub`;
/** The only action a GitHub OIDC trust statement should allow. */
export const ASSUME_ACTION = "sts:AssumeRoleWithWebIdentity";

/**
 * The ARN of an account's GitHub OIDC provider (one per account and issuer).
 * @example githubOidcProviderArn("123456789012") // => "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
 */
export function githubOidcProviderArn(account: string, partition = "aws"): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
}
