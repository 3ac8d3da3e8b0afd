/** An ECR registry host: `ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]`. */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * Parses an ECR host into account and region, or undefined for other registries (no AWS SDK here).
 * @example parseEcrHost("123456789012.dkr.ecr.eu-west-1.amazonaws.com") // { account: "123456789012", region: "eu-west-1" }
 */
export function parseEcrHost(registry: string): { account: string; region: string } | undefined {
  const match = ECR_HOST.exec(registry);
  return match?.[1] && match[2] ? { account: match[1], region: match[2] } : undefined;
}
