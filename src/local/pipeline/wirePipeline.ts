import { pathToFileURL } from "node:url";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Signer } from "../../attest/Signer.ts";
import type { PortcullisConfig } from "../../config/index.ts";
import { rulePatterns } from "../../events/index.ts";
import { createGateHandler } from "../../handlers/gate/createGateHandler.ts";
import type { HandlerDeps } from "../../handlers/HandlerDeps.ts";
import { createNotifyHandler } from "../../handlers/notify/createNotifyHandler.ts";
import { createReconcileHandler } from "../../handlers/reconcile/createReconcileHandler.ts";
import { createRegisterHandler } from "../../handlers/register/createRegisterHandler.ts";
import {
  createReplicateHandler,
  type ReplicateOptions,
} from "../../handlers/replicate/createReplicateHandler.ts";
import { createReportHandler } from "../../handlers/report/createReportHandler.ts";
import { settingsFromConfig } from "../../handlers/settingsFromConfig.ts";
import type { RetryOptions } from "../../registry/index.ts";
import { createReleaseStore } from "../../store/index.ts";
import { BusEventPublisher } from "../adapters/BusEventPublisher.ts";
import { FileLog, type LogLine } from "../adapters/FileLog.ts";
import { LocalClock } from "../adapters/LocalClock.ts";
import { LocalFindingsSource } from "../adapters/LocalFindingsSource.ts";
import { LocalRegistryDirectory } from "../adapters/LocalRegistryDirectory.ts";
import { MemoryMetrics } from "../adapters/MemoryMetrics.ts";
import { NoopRepositoryProvisioner } from "../adapters/NoopRepositoryProvisioner.ts";
import { type ReportDestinations, reportDestinations } from "../adapters/reportDestinations.ts";
import { LocalEventBus, type LocalEventBusOptions } from "../bus/LocalEventBus.ts";
import { LocalScheduler } from "../bus/LocalScheduler.ts";
import { LocalTopic, type TopicDelivery } from "../bus/LocalTopic.ts";
import { LocalEcr } from "../ecr/LocalEcr.ts";
import type { Scenario } from "../scenario/loadScenario.ts";
import { LocalPipeline } from "./LocalPipeline.ts";

/** What the local pipeline is wired with. */
export interface WirePipelineOptions {
  readonly config: PortcullisConfig;
  /** The repository gated (default: the configuration's first). */
  readonly repository: string;
  readonly scenario: Scenario;
  /** `region → 127.0.0.1:PORT` for the primary and every replica region. */
  readonly hosts: Readonly<Record<string, string>>;
  readonly dynamo: { readonly client: DynamoDBClient; readonly tableName: string };
  /** The account in every envelope and the handlers' settings. */
  readonly account: string;
  /** JSON lines of every handler. */
  readonly logFile: string;
  /** Where check runs and Slack previews are written when GitHub or Slack are not configured. */
  readonly reportsDir: string;
  /** GitHub and Slack (default: files in `reportsDir`). */
  readonly destinations?: ReportDestinations;
  /** The reconciler's schedule in simulated minutes. */
  readonly reconcileEveryMinutes?: number;
  /** Retries and observers (`onEvent`, `onDelivery`) of the bus. */
  readonly bus?: Partial<LocalEventBusOptions>;
  readonly replicate?: Partial<ReplicateOptions>;
  /** The registry clients' retry policy (default: the transport's, 5 retries with backoff). */
  readonly registryRetry?: RetryOptions;
  /** Sees each notification's delivery to the notify handler. */
  readonly onNotification?: (delivery: TopicDelivery) => void;
  /** Sees every handler log line. */
  readonly onLog?: (line: LogLine) => void;
  /**
   * Wraps each function's ports before its handler gets them (default: as they are); tests record the AWS
   * calls behind them (test/iam).
   */
  readonly ports?: <D extends object>(fn: string, deps: D) => D;
  /** Signs each decision's verification summary; given to the deciding functions (register, gate, reconcile) only, as kms:Sign is in AWS. */
  readonly signer?: Signer;
  /** How reports name the signer's key to `portcullis verify` (e.g. `--key .portcullis/attestation-key.pub.pem`). */
  readonly verifyKey?: string;
}

/** The wired pipeline and the adapters a caller may want to read (metrics, topic) or close. */
export interface WiredPipeline {
  readonly pipeline: LocalPipeline;
  readonly registries: LocalRegistryDirectory;
  readonly topic: LocalTopic;
  readonly metrics: MemoryMetrics;
  readonly destinations: ReportDestinations;
  readonly handlerNames: readonly string[];
  close(): void;
}

const DEFAULT_RECONCILE_MINUTES = 5;
/** The functions that decide, and so sign (in AWS, the only ones granted kms:Sign). */
const SIGNING_FUNCTIONS = ["register", "gate", "reconcile"];

/**
 * Wires the handler factories — the same ones the Lambda entry points wrap — to local adapters: the
 * scenario's findings, the loopback registries per region, dynalite, a bus routing with the deployed rule
 * patterns, an SNS-like topic, and a clock the reconciler's schedule moves.
 * @example const { pipeline } = wirePipeline({ config, repository, scenario, hosts, dynamo, account, logFile });
 */
export function wirePipeline(options: WirePipelineOptions): WiredPipeline {
  const { config, repository, account } = options;
  const region = config.primaryRegion;
  const clock = new LocalClock();
  const log = new FileLog(options.logFile, "pipeline", options.onLog);
  const metrics = new MemoryMetrics();
  const registries = new LocalRegistryDirectory({
    hosts: options.hosts,
    ...(options.registryRetry && { retry: options.registryRetry }),
  });
  const late = options.scenario.lateAfterMinutes;
  const findings = new LocalFindingsSource({
    folder: options.scenario.folder,
    account,
    ...(late !== undefined && { late: { clock, afterMinutes: late } }),
  });
  const bus = new LocalEventBus(options.bus);
  const topic = new LocalTopic({
    topicArn: `arn:aws:sns:${region}:${account}:portcullis`,
    onDelivery: options.onNotification,
  });
  const store = createReleaseStore(options.dynamo);
  const settings = {
    ...settingsFromConfig(config, { account, policy: options.scenario.policy }),
    repositories: [repository],
    ...(options.signer && {
      attestation: {
        required: true,
        policyUri: pathToFileURL(options.scenario.policyFile).href,
        ...(options.verifyKey && { verifyKey: options.verifyKey }),
      },
    }),
  };
  const signing = (name: string) =>
    options.signer && SIGNING_FUNCTIONS.includes(name) ? { signer: options.signer } : {};
  const ports = options.ports ?? ((_fn, deps) => deps);
  const deps = (name: string): HandlerDeps => ({
    store,
    registry: registries,
    findings,
    events: new BusEventPublisher(bus),
    notifications: topic,
    clock,
    log: log.child(name),
    metrics,
    settings,
    ...signing(name),
  });
  const patterns = rulePatterns({ repositories: [repository] });
  bus.addRule({
    name: "register",
    pattern: patterns.register,
    target: createRegisterHandler(ports("register", deps("register"))),
  });
  bus.addRule({
    name: "gate",
    pattern: patterns.gate,
    target: createGateHandler(ports("gate", deps("gate"))),
  });
  bus.addRule({
    name: "replicate",
    pattern: patterns.promoted,
    target: createReplicateHandler(
      ports("replicate", {
        ...deps("replicate"),
        provisioner: new NoopRepositoryProvisioner(),
        ...(options.replicate && { options: options.replicate }),
      }),
    ),
  });
  const reconcile = createReconcileHandler(ports("reconcile", deps("reconcile")));
  bus.addRule({ name: "reconcile", pattern: patterns.findingChanged, target: reconcile });
  const destinations =
    options.destinations ?? reportDestinations({ env: {}, reportsDir: options.reportsDir });
  // One report function behind two rules, as deployed: CodeBuild's builds and Portcullis's own events.
  const attestation = options.signer && {
    registry: (region: string) => registries.clientFor(region).registry,
    keyFlag: options.verifyKey ?? `--key <the PEM of ${options.signer.keyId}>`,
  };
  const report = createReportHandler(
    ports("report", {
      ...deps("report"),
      github: destinations.github,
      ...(attestation && { options: { attestation } }),
    }),
  );
  bus.addRule({ name: "report", pattern: patterns.build, target: report });
  bus.addRule({ name: "report", pattern: patterns.portcullis, target: report });
  topic.subscribe(
    createNotifyHandler(
      ports("notify", {
        ...deps("notify"),
        slack: destinations.slack,
        settings: { topicArn: topic.topicArn, repositories: [repository] },
      }),
    ),
  );
  const scheduler = new LocalScheduler({
    account,
    region,
    everyMinutes: options.reconcileEveryMinutes ?? DEFAULT_RECONCILE_MINUTES,
    clock,
    target: reconcile,
  });
  const ecr = new LocalEcr({
    registry: registries.clientFor(region),
    findings,
    origin: { account, region },
    now: () => clock.now(),
  });
  const pipeline = new LocalPipeline({
    bus,
    topic,
    scheduler,
    ecr,
    findings,
    store,
    clock,
    region,
    repository,
  });
  return {
    pipeline,
    registries,
    topic,
    metrics,
    destinations,
    handlerNames: ["register", "gate", "replicate", "reconcile", "report", "notify"],
    close: () => registries.close(),
  };
}
