import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SNSClient } from "@aws-sdk/client-sns";
import { EcrRegistryDirectory } from "../aws/EcrRegistryDirectory.ts";
import { EventBridgePublisher } from "../aws/EventBridgePublisher.ts";
import { regionalClients } from "../aws/regionalClients.ts";
import { SnsNotificationPublisher } from "../aws/SnsNotificationPublisher.ts";
import { systemClock } from "../core/Clock.ts";
import type { HandlerDeps } from "../handlers/HandlerDeps.ts";
import { createReleaseStore } from "../store/createReleaseStore.ts";
import { logger, metrics, traced } from "./powertools.ts";
import { powertoolsLog, powertoolsMetrics } from "./powertoolsPorts.ts";

/** The settings every pipeline function's shared adapters need. */
export interface PipelineAdapterSettings {
  readonly account: string;
  readonly tableName: string;
  readonly eventBusName: string;
  readonly topicArn: string;
}

/** The adapters register, gate, reconcile and replicate share, plus the per-region ECR clients. */
export type PipelineAdapters = Pick<
  HandlerDeps,
  "store" | "registry" | "events" | "notifications" | "clock" | "log" | "metrics"
> & { readonly ecr: (region: string) => ECRClient };

/**
 * Builds the AWS adapters the pipeline functions share, once per container: the state table, ECR registries
 * per region, the Portcullis event bus, the notification topic, and Powertools logging and metrics.
 */
export function awsPipelineDeps(settings: PipelineAdapterSettings): PipelineAdapters {
  const ecr = regionalClients((region) => traced(new ECRClient({ region })));
  return {
    ecr,
    store: createReleaseStore({ client: traced(new DynamoDBClient({})), tableName: settings.tableName }),
    registry: new EcrRegistryDirectory({ account: settings.account, ecr }),
    events: new EventBridgePublisher({
      client: traced(new EventBridgeClient({})),
      busName: settings.eventBusName,
    }),
    notifications: new SnsNotificationPublisher({
      client: traced(new SNSClient({})),
      topicArn: settings.topicArn,
    }),
    clock: systemClock,
    log: powertoolsLog(logger),
    metrics: powertoolsMetrics(metrics),
  };
}
