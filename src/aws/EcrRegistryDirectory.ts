import type { ECRClient } from "@aws-sdk/client-ecr";
import type { RegistryDirectory } from "../handlers/ports.ts";
import { ecrCredentials } from "../registry/credentials/ecrCredentials.ts";
import { type CredentialProvider, createRegistryClient, type RegistryClient } from "../registry/index.ts";
import { regionalClients } from "./regionalClients.ts";

/** A region name goes into a host name: nothing but lowercase letters, digits and inner hyphens. */
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Options for {@link EcrRegistryDirectory}. */
export interface EcrRegistryDirectoryOptions {
  /** The account whose registries these are. */
  readonly account: string;
  /** The ECR client of a region, for GetAuthorizationToken. */
  readonly ecr: (region: string) => Pick<ECRClient, "send">;
  /** `amazonaws.com`, or `amazonaws.com.cn` in the China partition. */
  readonly dnsSuffix?: string;
  /** Overrides the credentials (tests); by default the ECR token of each region. */
  readonly credentials?: CredentialProvider;
}

/**
 * {@link RegistryDirectory} of ECR's private registries, `ACCOUNT.dkr.ecr.REGION.amazonaws.com`: one OCI client
 * per region (keep-alive sockets), authorized with GetAuthorizationToken (user `AWS`, token cached until shortly
 * before it expires). Clients live as long as the Lambda container.
 * @example const registries = new EcrRegistryDirectory({ account: "123456789012", ecr }); registries.clientFor("eu-west-1")
 */
export class EcrRegistryDirectory implements RegistryDirectory {
  readonly #clients: (region: string) => RegistryClient;

  constructor(options: EcrRegistryDirectoryOptions) {
    const credentials = options.credentials ?? ecrCredentials({ clientFor: options.ecr });
    const suffix = options.dnsSuffix ?? "amazonaws.com";
    this.#clients = regionalClients((region) =>
      createRegistryClient(`${options.account}.dkr.ecr.${region}.${suffix}`, { credentials }),
    );
  }

  clientFor(region: string): RegistryClient {
    if (!REGION.test(region)) throw new RangeError(`not a region name: ${JSON.stringify(region)}`);
    return this.#clients(region);
  }
}
