export * from "./EcrFindingsSource.ts";
export * from "./EcrRegistryDirectory.ts";
export * from "./EcrRepositoryProvisioner.ts";
export * from "./EventBridgePublisher.ts";
export * from "./errors.ts";
export * from "./regionalClients.ts";
export * from "./SecretsManagerSecrets.ts";
export * from "./SnsNotificationPublisher.ts";
