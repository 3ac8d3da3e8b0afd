// The ECR credential provider (./auth/ecrCredentials.ts) is deliberately not re-exported: importing the
// engine never loads the AWS SDK. Import it from its own file where ECR is used.
export * from "./auth/Authenticator.ts";
export * from "./auth/Credentials.ts";
export * from "./auth/defaultCredentials.ts";
export * from "./auth/dockerConfigCredentials.ts";
export * from "./auth/envCredentials.ts";
export * from "./auth/parseChallenge.ts";
export * from "./auth/parseEcrHost.ts";
export * from "./copy/CopyProgress.ts";
export * from "./copy/copy.ts";
export * from "./DigestVerifier.ts";
export * from "./errors.ts";
export * from "./HttpRegistryClient.ts";
export * from "./manifest.ts";
export * from "./mapLimit.ts";
export * from "./promote.ts";
export * from "./RegistryClient.ts";
export * from "./reference.ts";
export * from "./referenceFormat.ts";
export * from "./referenceHost.ts";
export * from "./transport/checkResponse.ts";
export * from "./transport/redactUrl.ts";
export * from "./transport/retryAfter.ts";
export * from "./transport/Transport.ts";
export * from "./transport/withRetries.ts";
