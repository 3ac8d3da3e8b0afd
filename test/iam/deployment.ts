/**
 * The deployment the IAM checks simulate: one account, the names its resources get. Templates are resolved to
 * these names (resolveTemplates) and recorded calls are written with them (AwsCallRecorder), so both sides name
 * the same ARNs.
 */
export const ACCOUNT = "123456789012";
export const PARTITION = "aws";

/** The ARNs of the State stack's resources and the repositories in a region. */
export function deploymentArns(region: string) {
  return {
    table: `arn:${PARTITION}:dynamodb:${region}:${ACCOUNT}:table/portcullis-test-state`,
    bus: `arn:${PARTITION}:events:${region}:${ACCOUNT}:event-bus/portcullis-test`,
    topic: `arn:${PARTITION}:sns:${region}:${ACCOUNT}:portcullis-test-notifications`,
    repository: (name: string, inRegion = region) =>
      `arn:${PARTITION}:ecr:${inRegion}:${ACCOUNT}:repository/${name}`,
    /** A secret as Secrets Manager names it: the configured name plus `-` and six random characters. */
    secret: (nameOrArn: string) =>
      nameOrArn.startsWith("arn:")
        ? nameOrArn
        : `arn:${PARTITION}:secretsmanager:${region}:${ACCOUNT}:secret:${nameOrArn}-AbC123`,
    role: (name: string) => `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`,
  };
}
