// The registry engine's public API. The engine is one chain, as in go-containerregistry:
//   name/ (references) → credentials/ → transport/ (HTTP, token exchange, retries) → remote/ (the OCI
//   client) → referrers/ (discovery, the referrer graph, the tag schema) → copy/ and promote/,
// over a base of errors.ts, manifest.ts and mapLimit.ts. Each folder imports only the ones before it
// (test/registry/layers.test.ts). Internals (Transport, Authenticator, uploads) are not exported.
// The ECR credential provider (./credentials/ecrCredentials.ts) is deliberately not re-exported:
// importing the engine never loads the AWS SDK. Import it from its own file where ECR is used.

export type { CopyProgress } from "./copy/CopyProgress.ts";
export { type CopyOptions, type CopyResult, copy } from "./copy/copy.ts";
export {
  type CopyToManyOptions,
  type CopyToManyResult,
  copyDefaults,
  copyToMany,
} from "./copy/copyToMany.ts";
export type { CopyDestination, DestinationResult } from "./copy/DestinationCopy.ts";
export {
  anonymous,
  type CredentialProvider,
  type Credentials,
  chainCredentials,
  staticCredentials,
} from "./credentials/Credentials.ts";
export { defaultCredentials } from "./credentials/defaultCredentials.ts";
export { dockerConfigCredentials, dockerConfigPath } from "./credentials/dockerConfigCredentials.ts";
export { CREDENTIAL_ENV, envCredentials } from "./credentials/envCredentials.ts";
export { type OciErrorEntry, RegistryError } from "./errors.ts";
export {
  type Descriptor,
  digestOf,
  type ParsedManifest,
  parseManifest,
  type RawManifest,
} from "./manifest.ts";
export { mapLimit } from "./mapLimit.ts";
export { parseEcrHost } from "./name/parseEcrHost.ts";
export { parseReference, type Reference } from "./name/reference.ts";
export { formatReference, manifestReference } from "./name/referenceFormat.ts";
export { DEFAULT_REGISTRY } from "./name/referenceHost.ts";
export { type PromoteOptions, type PromoteResult, promote, type TagMove } from "./promote/promote.ts";
export type { CopiedReferrer } from "./referrers/copyReferrers.ts";
export { type FoundReferrers, findReferrers } from "./referrers/findReferrers.ts";
export { verifyReferrers } from "./referrers/verifyReferrers.ts";
export { createRegistryClient, type RegistryClientOptions } from "./remote/HttpRegistryClient.ts";
export type { PushBlobOptions, PushOutcome, RegistryClient } from "./remote/RegistryClient.ts";
export type { TransportOptions } from "./transport/Transport.ts";
export { type RetryOptions, retryDefaults } from "./transport/withRetries.ts";
