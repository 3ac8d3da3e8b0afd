import type { CfnTemplate } from "../stacks/synthPortcullis.ts";
import { ACCOUNT, deploymentArns, PARTITION } from "./deployment.ts";

/** An IAM policy document with every CloudFormation function resolved to the simulated deployment's names. */
// biome-ignore lint/suspicious/noExplicitAny: policy documents are JSON handed to the simulator as they are.
export type PolicyDocument = { Version?: string; Statement: any[] };

/** A role as deployed: its ARN and the identity policies attached to it. */
export interface DeployedRole {
  readonly arn: string;
  readonly policies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
}

type Resource = CfnTemplate["Resources"][string];

/**
 * The synthesized stacks (`Pipeline`, `State`, `Build`, `Registry` …) read as deployed in one account and region:
 * `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub` and `Fn::ImportValue` resolved to the names of test/iam/deployment
 * (the State stack's table, bus and topic get exactly those ARNs; other resources are named by logical id), so a
 * recorded call's ARN and a policy's resource name the same thing.
 */
export class DeployedPolicies {
  readonly #templates: ReadonlyMap<string, CfnTemplate>;
  readonly #region: string;
  /** The region the stacks are read in. */
  get region(): string {
    return this.#region;
  }
  readonly #arns: ReturnType<typeof deploymentArns>;

  constructor(templates: ReadonlyMap<string, CfnTemplate>, region: string) {
    this.#templates = templates;
    this.#region = region;
    this.#arns = deploymentArns(region);
  }

  /** The role of a pipeline function (its description is `Portcullis <name> function`). */
  functionRole(name: string): DeployedRole {
    return this.#role(
      "Pipeline",
      (resource) => resource.Properties?.Description === `Portcullis ${name} function`,
    );
  }

  /** The service role of the CodeBuild project that builds `repository`. */
  projectRole(repository: string): DeployedRole {
    const [, project] = this.#find(
      "Build",
      (r) =>
        r.Type === "AWS::CodeBuild::Project" &&
        String(r.Properties?.Description).includes(`build of ${repository} from`),
    );
    const roleId = (project.Properties?.ServiceRole as { "Fn::GetAtt"?: string[] } | undefined)?.[
      "Fn::GetAtt"
    ]?.[0];
    return this.#role("Build", (_, id) => id === roleId);
  }

  /**
   * The operators' role: a role with only the Pipeline stack's operator managed policy attached (what the
   * README says to attach to whoever runs `portcullis status`, `rollback`, `redrive`, `reconcile --now`).
   */
  operatorRole(): DeployedRole {
    const [, policy] = this.#find(
      "Pipeline",
      (r, id) => r.Type === "AWS::IAM::ManagedPolicy" && id.startsWith("OperatorPolicy"),
    );
    return {
      arn: this.#arns.role("portcullis-operator"),
      policies: [
        {
          name: "OperatorPolicy",
          policy: this.#resolve("Pipeline", policy.Properties?.PolicyDocument) as PolicyDocument,
        },
      ],
    };
  }

  /** The ARN of a pipeline function (its description starts `Portcullis <name>:`). */
  functionArn(name: string): string {
    const [id] = this.#find(
      "Pipeline",
      (r) =>
        r.Type === "AWS::Lambda::Function" &&
        String(r.Properties?.Description).startsWith(`Portcullis ${name}:`),
    );
    return this.#getAtt("Pipeline", id, "Arn");
  }

  /** The ARN of a pipeline function's dead-letter queue. */
  deadLetterQueueArn(name: string): string {
    const prefix = `${name[0]?.toUpperCase()}${name.slice(1)}DeadLetters`;
    const [id] = this.#find(
      "Pipeline",
      (r, logicalId) => r.Type === "AWS::SQS::Queue" && logicalId.startsWith(prefix),
    );
    return this.#getAtt("Pipeline", id, "Arn");
  }

  /** The role GitHub Actions assume to start builds. */
  releaseRole(): DeployedRole {
    return this.#role("Build", (r, id) => r.Type === "AWS::IAM::Role" && id.startsWith("ReleaseRole"));
  }

  /** The ARN of a resource (its `Fn::GetAtt Arn`, or its `Ref` for topics), found by stack and logical id prefix. */
  arnOf(stack: string, idPrefix: string): string {
    const [id, resource] = this.#find(stack, (_, logicalId) => logicalId.startsWith(idPrefix));
    return resource.Type === "AWS::SNS::Topic" ? this.#ref(stack, id) : this.#getAtt(stack, id, "Arn");
  }

  /**
   * Every resource policy by the ARN it guards: topic and queue policies, key policies, and the Lambda permissions
   * of each function gathered into one policy per function, as Lambda keeps them.
   */
  resourcePolicies(): Map<string, PolicyDocument> {
    const policies = new Map<string, PolicyDocument>();
    const add = (arn: string, statements: unknown[]) => {
      const policy = policies.get(arn) ?? { Version: "2012-10-17", Statement: [] };
      policy.Statement.push(...statements);
      policies.set(arn, policy);
    };
    for (const [stack, template] of this.#templates)
      for (const [id, resource] of Object.entries(template.Resources)) {
        const props = resource.Properties ?? {};
        const resolve = (value: unknown) => this.#resolve(stack, value);
        const targets = (refs: unknown) =>
          (refs as { Ref: string }[]).map((ref) => this.#getAtt(stack, ref.Ref, "Arn", true));
        if (resource.Type === "AWS::SNS::TopicPolicy")
          for (const arn of targets(props.Topics))
            add(arn, (resolve(props.PolicyDocument) as PolicyDocument).Statement);
        if (resource.Type === "AWS::SQS::QueuePolicy")
          for (const arn of targets(props.Queues))
            add(arn, (resolve(props.PolicyDocument) as PolicyDocument).Statement);
        if (resource.Type === "AWS::KMS::Key")
          add(this.#getAtt(stack, id, "Arn"), (resolve(props.KeyPolicy) as PolicyDocument).Statement);
        if (resource.Type === "AWS::Lambda::Permission") {
          const fn = String(resolve(props.FunctionName));
          add(fn, [
            {
              Sid: id,
              Effect: "Allow",
              Principal: { Service: resolve(props.Principal) },
              Action: resolve(props.Action),
              Resource: fn,
              ...(props.SourceArn !== undefined && {
                Condition: { ArnLike: { "aws:SourceArn": resolve(props.SourceArn) } },
              }),
              ...(props.SourceAccount !== undefined && {
                Condition: { StringEquals: { "aws:SourceAccount": resolve(props.SourceAccount) } },
              }),
            },
          ]);
        }
      }
    return policies;
  }

  /** The ARN of the KMS key encrypting a queue or topic (by its ARN), if it has one. */
  keyOf(arn: string): string | undefined {
    for (const [stack, template] of this.#templates)
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (resource.Type !== "AWS::SQS::Queue" && resource.Type !== "AWS::SNS::Topic") continue;
        if (this.#getAtt(stack, id, "Arn") !== arn) continue;
        const key = resource.Properties?.KmsMasterKeyId;
        return key === undefined ? undefined : String(this.#resolve(stack, key));
      }
    return undefined;
  }

  /** Any value of a stack's template, resolved. */
  resolve(stack: string, value: unknown): unknown {
    return this.#resolve(stack, value);
  }

  #role(stack: string, match: (resource: Resource, id: string) => boolean): DeployedRole {
    const [roleId, role] = this.#find(stack, (r, id) => r.Type === "AWS::IAM::Role" && match(r, id));
    if (role.Properties?.ManagedPolicyArns !== undefined)
      throw new Error(`${roleId} has managed policies, which the IAM checks do not read`);
    const template = this.#templates.get(stack) as CfnTemplate;
    const attached = Object.entries(template.Resources).filter(
      ([, r]) =>
        r.Type === "AWS::IAM::Policy" &&
        ((r.Properties?.Roles ?? []) as { Ref?: string }[]).some((ref) => ref.Ref === roleId),
    );
    const inline = (role.Properties?.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[];
    return {
      arn: this.#getAtt(stack, roleId, "Arn"),
      policies: [
        ...attached.map(([id, r]) => ({
          name: id,
          policy: this.#resolve(stack, r.Properties?.PolicyDocument) as PolicyDocument,
        })),
        ...inline.map((p) => ({
          name: p.PolicyName,
          policy: this.#resolve(stack, p.PolicyDocument) as PolicyDocument,
        })),
      ],
    };
  }

  #find(stack: string, match: (resource: Resource, id: string) => boolean): [string, Resource] {
    const template = this.#templates.get(stack);
    if (template === undefined) throw new Error(`no ${stack} stack synthesized`);
    const found = Object.entries(template.Resources).filter(([id, r]) => match(r, id));
    if (found.length !== 1) throw new Error(`${found.length} matching resources in ${stack}, expected 1`);
    return found[0] as [string, Resource];
  }

  #resolve(stack: string, value: unknown): unknown {
    if (typeof value === "string")
      return value.replaceAll(":my-account:", `:${ACCOUNT}:`).replaceAll("-my-account-", `-${ACCOUNT}-`);
    if (Array.isArray(value)) return value.map((v) => this.#resolve(stack, v));
    if (value === null || typeof value !== "object") return value;
    const v = value as Record<string, unknown>;
    if ("Ref" in v) return this.#ref(stack, String(v.Ref));
    if ("Fn::GetAtt" in v) {
      const [id, attribute] = v["Fn::GetAtt"] as [string, string];
      return this.#getAtt(stack, id, attribute);
    }
    if ("Fn::Join" in v) {
      const [separator, parts] = v["Fn::Join"] as [string, unknown[]];
      return parts.map((part) => String(this.#resolve(stack, part))).join(separator);
    }
    if ("Fn::Sub" in v)
      return String(v["Fn::Sub"]).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        const [id, attribute] = name.split(".");
        return String(
          attribute === undefined
            ? this.#ref(stack, id as string)
            : this.#getAtt(stack, id as string, attribute),
        );
      });
    if ("Fn::ImportValue" in v) return this.#import(String(v["Fn::ImportValue"]));
    return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, this.#resolve(stack, x)]));
  }

  #import(name: string): unknown {
    for (const [stack, template] of this.#templates)
      for (const output of Object.values(
        (template.Outputs ?? {}) as Record<string, { Value: unknown; Export?: { Name: string } }>,
      ))
        if (output.Export?.Name === name) return this.#resolve(stack, output.Value);
    throw new Error(`no stack exports ${name}`);
  }

  #ref(stack: string, id: string): string {
    const pseudo: Record<string, string> = {
      "AWS::Partition": PARTITION,
      "AWS::AccountId": ACCOUNT,
      "AWS::Region": this.#region,
      "AWS::URLSuffix": "amazonaws.com",
    };
    if (pseudo[id] !== undefined) return pseudo[id];
    const resource = this.#templates.get(stack)?.Resources[id];
    if (resource === undefined) throw new Error(`${stack} has no resource ${id}`);
    const name = (property: string) => {
      const value = resource.Properties?.[property];
      return value === undefined ? id : String(this.#resolve(stack, value));
    };
    switch (resource.Type) {
      case "AWS::DynamoDB::Table":
        return this.#arns.table.split("/")[1] as string;
      case "AWS::SNS::Topic":
        return this.#arns.topic;
      case "AWS::Events::EventBus":
        return this.#arns.bus.split("/")[1] as string;
      case "AWS::SQS::Queue":
        return `https://sqs.${this.#region}.amazonaws.com/${ACCOUNT}/${id}`;
      case "AWS::IAM::Role":
        return name("RoleName");
      case "AWS::CodeBuild::Project":
        return name("Name");
      case "AWS::ECR::Repository":
        return name("RepositoryName");
      case "AWS::Logs::LogGroup":
        return name("LogGroupName");
      case "AWS::IAM::OIDCProvider":
        return `arn:${PARTITION}:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
      default:
        return id;
    }
  }

  #getAtt(stack: string, id: string, attribute: string, refIsArn = false): string {
    const resource = this.#templates.get(stack)?.Resources[id];
    if (resource === undefined) throw new Error(`${stack} has no resource ${id}`);
    if (attribute !== "Arn") throw new Error(`cannot resolve ${id}.${attribute}`);
    const at = (service: string, path: string) =>
      `arn:${PARTITION}:${service}:${this.#region}:${ACCOUNT}:${path}`;
    const name = this.#ref(stack, id);
    switch (resource.Type) {
      case "AWS::DynamoDB::Table":
        return this.#arns.table;
      case "AWS::Events::EventBus":
        return this.#arns.bus;
      case "AWS::SNS::Topic":
        return this.#arns.topic;
      case "AWS::SQS::Queue":
        return at("sqs", id);
      case "AWS::KMS::Key":
        return at("kms", `key/${id}`);
      case "AWS::Logs::LogGroup":
        return at("logs", `log-group:${name}:*`);
      case "AWS::Lambda::Function":
        return at("lambda", `function:${id}`);
      case "AWS::IAM::Role":
        return this.#arns.role(name);
      case "AWS::CodeBuild::Project":
        return at("codebuild", `project/${name}`);
      case "AWS::ECR::Repository":
        return this.#arns.repository(name);
      case "AWS::Events::Rule":
        return at("events", `rule/${id}`);
      default:
        if (refIsArn) return name;
        throw new Error(`cannot resolve the ARN of ${resource.Type} ${id}`);
    }
  }
}
