/**
 * The alias of the customer-managed KMS key that encrypts Portcullis' repositories in a region. Every
 * region's Registry stack creates its key under the same alias, so the replicate function can name the
 * key of any region (ECR's CreateRepository accepts an alias) without knowing its id.
 * @example registryKeyAlias("portcullis", "prod") // => "alias/portcullis/prod/registry"
 */
export function registryKeyAlias(app: string, stage: string): string {
  return `alias/${app}/${stage}/registry`;
}
