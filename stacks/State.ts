import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import type { StackContext } from "sst/constructs";
import { TableDesign } from "../src/store/tableDesign.ts";

/** What the State stack hands to the others. */
export interface StateResources {
  /** Encrypts the table and the topic. */
  readonly key: kms.IKey;
  /** Candidates, child → candidate lookups, side-effect claims (src/store's single-table design). */
  readonly table: dynamodb.ITable;
  /** Outcomes for people (Slack and other subscribers). */
  readonly topic: sns.ITopic;
  /** Portcullis' own events (decided, promoted, replicated…), between the functions. */
  readonly bus: events.IEventBus;
  /** Signs every decision's verification summary (ECC_NIST_P256, sign/verify): `portcullis verify --kms-key-id`. */
  readonly attestationKey: kms.IKey;
}

/**
 * What happens to each State resource when the stack is deleted, as deployed (the DeletionPolicy of each).
 * Kept: the key and the table, which hold the release history and decrypt it (the table is also protected from
 * deletion), and the attestation key, whose public half verifies every summary already attached to images. Deleted: the topic (it stores nothing; subscribers subscribe again), the bus and its archive. The
 * bus has a fixed name, so a retained one would make the next deployment of the stack fail; its archive is a
 * 30-day replay window for a pipeline that no longer exists once the stack is gone.
 */
export const STATE_REMOVAL = {
  key: RemovalPolicy.RETAIN,
  attestationKey: RemovalPolicy.RETAIN,
  table: RemovalPolicy.RETAIN,
  topic: RemovalPolicy.DESTROY,
  bus: RemovalPolicy.DESTROY,
  archive: RemovalPolicy.DESTROY,
} as const;

/**
 * Stateful resources, in their own stack so the pipeline can be replaced without touching them: the
 * release state table (point-in-time recovery, TTL, KMS), the notification topic (KMS, TLS only), the
 * custom event bus with its archive, and the asymmetric key the deciding functions sign summaries with. {@link STATE_REMOVAL} says which of them outlive the stack.
 */
export function State({ app, stack }: StackContext): StateResources {
  const key = new kms.Key(stack, "StateKey", {
    description: `Portcullis ${app.stage}: release state table and notification topic`,
    enableKeyRotation: true,
    removalPolicy: STATE_REMOVAL.key,
  });
  const table = new dynamodb.Table(stack, "ReleaseState", {
    partitionKey: { name: TableDesign.partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: TableDesign.sortKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: TableDesign.ttlAttribute,
    deletionProtection: true,
    removalPolicy: STATE_REMOVAL.table,
  });
  table.addGlobalSecondaryIndex({
    indexName: TableDesign.phaseIndex.name,
    partitionKey: { name: TableDesign.phaseIndex.partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: TableDesign.phaseIndex.sortKey, type: dynamodb.AttributeType.STRING },
  });
  const topic = new sns.Topic(stack, "Notifications", {
    displayName: `Portcullis ${app.stage}`,
    masterKey: key,
    enforceSSL: true,
  });
  topic.applyRemovalPolicy(STATE_REMOVAL.topic);
  const bus = new events.EventBus(stack, "Events", { eventBusName: `${app.name}-${app.stage}` });
  bus.applyRemovalPolicy(STATE_REMOVAL.bus);
  const archive = bus.archive("EventsArchive", {
    description: "Portcullis events, for replay after an outage",
    eventPattern: { account: [stack.account] },
    retention: Duration.days(30),
  });
  archive.applyRemovalPolicy(STATE_REMOVAL.archive);
  // CDK writes KmsKeyIdentifier: "" when no key is given, which some regions refuse: an archive without a key
  // of its own (encrypted with an AWS-owned key) has no such property at all.
  (archive.node.defaultChild as events.CfnArchive).addPropertyDeletionOverride("KmsKeyIdentifier");
  // Asymmetric: KMS does not rotate these (rotation is for symmetric keys); a new key means a new public key to trust.
  const attestationKey = new kms.Key(stack, "AttestationKey", {
    description: `Portcullis ${app.stage}: signs each decision's verification summary (portcullis verify)`,
    keySpec: kms.KeySpec.ECC_NIST_P256,
    keyUsage: kms.KeyUsage.SIGN_VERIFY,
    removalPolicy: STATE_REMOVAL.attestationKey,
  });
  stack.addOutputs({
    AttestationKeyArn: attestationKey.keyArn,
    TableName: table.tableName,
    TopicArn: topic.topicArn,
    EventBusName: bus.eventBusName,
  });
  return { key, table, topic, bus, attestationKey };
}
