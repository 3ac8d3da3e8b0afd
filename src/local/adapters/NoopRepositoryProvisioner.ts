import type { RepositoryProvisioner } from "../../handlers/ports.ts";

/**
 * {@link RepositoryProvisioner} for distribution registries: they create a repository on its first push,
 * and have no scanning, immutability, encryption or lifecycle settings to copy, so there is nothing to do.
 * (In AWS, EcrRepositoryProvisioner creates the repository with the primary's settings.)
 * @example createReplicateHandler({ …, provisioner: new NoopRepositoryProvisioner() })
 */
export class NoopRepositoryProvisioner implements RepositoryProvisioner {
  async ensureRepository(_region: string, _repository: string): Promise<"created" | "exists"> {
    return "exists";
  }
}
