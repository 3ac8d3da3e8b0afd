/**
 * AWS commercial and GovCloud region names (`us-east-1`, `eu-central-2`, `ap-southeast-4`, `us-gov-west-1`).
 * A shape check, not a list: a new region works without a Portcullis release, a typo such as `us-east1`
 * or `eu-west` does not.
 */
export const AWS_REGION =
  /^(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]$/;

/** True when `value` has the shape of an AWS region name. */
export function isAwsRegion(value: string): boolean {
  return AWS_REGION.test(value);
}
