import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { HandlerDeps, RegistryDirectory } from "../../src/handlers/index.ts";
import type { AwsCall } from "./AwsCall.ts";
import { deploymentArns } from "./deployment.ts";
import { registryActions } from "./registryActions.ts";

/** What the recorder needs to name the calls as the deployment would see them. */
export interface AwsCallRecorderOptions {
  /** The primary region (the state table, bus, topic and secrets live there). */
  readonly region: string;
  /** `region → host:port` of the registries playing each region's ECR. */
  readonly hosts: Readonly<Record<string, string>>;
  /** The deployed repository a test repository stands for (e2e runs use their own repository names). */
  readonly repository: (name: string) => string;
  readonly scanning: "basic" | "enhanced";
  /** The secrets the report and notify functions read, and the KMS key they are encrypted with, as configured. */
  readonly secrets?: { readonly report?: string; readonly notify?: string; readonly kmsKey?: string };
  /** The attestation key's ARN in the deployment: a `signer` port's sign() is kms:Sign on it (src/aws/KmsSigner). */
  readonly attestationKey?: string;
}

/** Who is calling, while a port call runs. */
interface CallContext {
  readonly caller: string;
  readonly site: string;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HTTP_START = "http.client.request.start";
const MIDDLEWARE = "recordIamCalls";
/** What src/aws/EcrRepositoryProvisioner calls to create a replica repository (tags ride on CreateRepository). */
const PROVISIONING = [
  "ecr:CreateRepository",
  "ecr:TagResource",
  "ecr:GetLifecyclePolicy",
  "ecr:PutLifecyclePolicy",
];

/**
 * Records the AWS calls behind each function's ports, named as IAM evaluates them. `ports(fn, deps)` (the local
 * pipeline's `ports` option) runs every port call inside an AsyncLocalStorage context naming the function and the
 * source line that called; what goes out underneath is recorded from where it happens:
 * - registry HTTP requests (node's `http.client.request.start` diagnostics channel), mapped by registryActions;
 * - DynamoDB requests (a middleware on the SDK client, reading the `X-Amz-Target` and table of each request);
 * - the ports whose local adapters stand in for an AWS one, as the AWS adapter calls: findings →
 *   DescribeImageScanFindings (src/aws/EcrFindingsSource), events → PutEvents (EventBridgePublisher),
 *   notifications → sns:Publish (SnsNotificationPublisher), signer → kms:Sign on the attestation key (KmsSigner), provisioner → src/aws/EcrRepositoryProvisioner's
 *   calls, `github()`/`slack()` → GetSecretValue (src/lambda/githubCredentialsLoader, functions/notify.ts) and,
 *   with a customer-managed key, kms:Decrypt through Secrets Manager.
 * Registry requests no mapping covers are kept in `unmapped`, so a new kind of call cannot slip by.
 */
export class AwsCallRecorder {
  readonly calls: AwsCall[] = [];
  readonly unmapped: string[] = [];
  readonly #context = new AsyncLocalStorage<CallContext>();
  readonly #watched: DynamoDBClient[] = [];
  readonly #options: AwsCallRecorderOptions;
  readonly #arns: ReturnType<typeof deploymentArns>;
  readonly #onRequest = (message: unknown) =>
    this.#recordHttp((message as { request: ClientRequest }).request);

  constructor(options: AwsCallRecorderOptions) {
    this.#options = options;
    this.#arns = deploymentArns(options.region);
    subscribe(HTTP_START, this.#onRequest);
  }

  /** Stops listening to HTTP requests and to the watched DynamoDB clients. */
  stop(): void {
    unsubscribe(HTTP_START, this.#onRequest);
    for (const client of this.#watched.splice(0)) client.middlewareStack.remove(MIDDLEWARE);
  }

  /** The calls recorded since the last `take`, cleared. */
  take(): AwsCall[] {
    return this.calls.splice(0);
  }

  /** Wraps a function's ports so the calls behind them are recorded under its name. */
  readonly ports = <D extends object>(fn: string, deps: D): D => {
    const given = deps as Partial<HandlerDeps> & Record<string, unknown>;
    const wrapped: Record<string, unknown> = { ...given };
    const wrap = (name: string, make: (port: never) => unknown) => {
      if (given[name] !== undefined) wrapped[name] = make(given[name] as never);
    };
    wrap("store", (store: object) => this.#traced(fn, store, "store"));
    wrap("catalog", (catalog: object) => this.#traced(fn, catalog, "catalog"));
    wrap("registry", (registry: RegistryDirectory) => ({
      clientFor: (region: string) => this.#traced(fn, registry.clientFor(region), `registry(${region})`),
    }));
    wrap("findings", (findings: object) =>
      this.#port(fn, "findings", findings, (image: { region: string; repository: string }) =>
        this.#findingsCalls(image),
      ),
    );
    wrap("events", (events: object) =>
      this.#port(fn, "events", events, () => [{ action: "events:PutEvents", resource: this.#arns.bus }]),
    );
    wrap("notifications", (notifications: object) =>
      this.#port(fn, "notifications", notifications, () => [
        { action: "sns:Publish", resource: this.#arns.topic },
      ]),
    );
    wrap("provisioner", (provisioner: object) =>
      this.#port(fn, "provisioner", provisioner, (region: string, repository: string) =>
        PROVISIONING.map((action) => ({
          action,
          resource: this.#arns.repository(this.#options.repository(repository), region),
        })),
      ),
    );
    const attestationKey = this.#options.attestationKey;
    if (attestationKey !== undefined)
      wrap("signer", (signer: object) =>
        this.#port(fn, "signer", signer, () => [{ action: "kms:Sign", resource: attestationKey }]),
      );
    wrap("github", (github: () => Promise<unknown>) =>
      this.#secretPort(fn, "github", github, this.#options.secrets?.report),
    );
    wrap("slack", (slack: () => Promise<unknown>) =>
      this.#secretPort(fn, "slack", slack, this.#options.secrets?.notify),
    );
    return wrapped as D;
  };

  /** Records every request of a DynamoDB client (the state table) made inside a port call. */
  watchDynamo(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        const context = this.#context.getStore();
        const request = args.request as { headers?: Record<string, string>; body?: unknown };
        const target = request.headers?.["x-amz-target"];
        if (context !== undefined && target !== undefined) {
          const operation = target.split(".")[1] ?? target;
          const body = JSON.parse(bodyText(request.body)) as { IndexName?: string };
          const resource = body.IndexName ? `${this.#arns.table}/index/${body.IndexName}` : this.#arns.table;
          this.calls.push({
            ...context,
            action: `dynamodb:${operation}`,
            resource,
            site: `${context.site} (${operation})`,
          });
        }
        return next(args);
      },
      { step: "build", name: MIDDLEWARE },
    );
    this.#watched.push(client);
  }

  #findingsCalls(image: { region: string; repository: string }) {
    const calls = [
      {
        action: "ecr:DescribeImageScanFindings",
        resource: this.#arns.repository(this.#options.repository(image.repository), image.region),
      },
    ];
    if (this.#options.scanning === "enhanced")
      calls.push(
        { action: "inspector2:ListFindings", resource: "*" },
        { action: "inspector2:ListCoverage", resource: "*" },
      );
    return calls;
  }

  /** A port whose every method makes the AWS calls `calls` names (its AWS adapter's), recorded before it runs. */
  #port<T extends object>(
    fn: string,
    name: string,
    port: T,
    calls: (...args: never[]) => { action: string; resource: string; context?: Record<string, string> }[],
  ): T {
    return new Proxy(port, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const site = `${callerFrame()} (${name}.${String(property)})`;
          for (const call of calls(...(args as never[]))) this.calls.push({ caller: fn, site, ...call });
          return this.#context.run({ caller: fn, site }, () => value.apply(target, args));
        };
      },
    });
  }

  /** A port whose methods run in the function's context, so what they send is recorded underneath. */
  #traced<T extends object>(fn: string, port: T, name: string): T {
    return new Proxy(port, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const site = `${callerFrame()} (${name}.${String(property)})`;
          return this.#context.run({ caller: fn, site }, () => value.apply(target, args));
        };
      },
    });
  }

  /** A `github()`/`slack()` port: the Lambda reads its credentials from Secrets Manager on each resolution. */
  #secretPort(fn: string, name: string, port: () => Promise<unknown>, secret: string | undefined) {
    return () => {
      const site = `${callerFrame()} (${name}())`;
      if (secret !== undefined) {
        const resource = this.#arns.secret(secret);
        this.calls.push({ caller: fn, site, action: "secretsmanager:GetSecretValue", resource });
        const key = this.#options.secrets?.kmsKey;
        if (key !== undefined)
          this.calls.push({
            caller: fn,
            site,
            action: "kms:Decrypt",
            resource: key,
            context: {
              "kms:ViaService": `secretsmanager.${this.#options.region}.amazonaws.com`,
              "kms:EncryptionContext:SecretARN": resource,
            },
          });
      }
      return this.#context.run({ caller: fn, site }, port);
    };
  }

  #recordHttp(request: ClientRequest): void {
    const context = this.#context.getStore();
    if (context === undefined) return;
    const host = String(request.getHeader("host") ?? request.host);
    const region = Object.entries(this.#options.hosts).find(([, h]) => h === host)?.[0];
    if (region === undefined) return; // not a registry (GitHub, Slack): no AWS call
    const wire = `${request.method} ${request.path}`;
    const mapped = registryActions({ method: request.method, path: request.path });
    if (mapped === undefined) {
      this.unmapped.push(`${context.caller}: ${wire} at ${context.site}`);
      return;
    }
    for (const action of mapped.actions)
      this.calls.push({
        ...context,
        action,
        resource:
          action === "ecr:GetAuthorizationToken" || mapped.repository === undefined
            ? "*"
            : this.#arns.repository(this.#options.repository(mapped.repository), region),
        site: `${context.site} → ${wire}`,
      });
  }
}

/** The first source frame outside this recorder: the line that used the port. */
function callerFrame(): string {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  for (const frame of frames) {
    const file = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/.exec(frame.trim());
    if (file === null || file[1] === undefined) continue;
    const path = file[1].replace(/^file:\/\//, "");
    if (path.includes("/node_modules/") || path.endsWith("AwsCallRecorder.ts")) continue;
    return `${relative(ROOT, path)}:${file[2]}`;
  }
  return "(unknown site)";
}

/** A DynamoDB request body as text (the SDK hands over a string or bytes). */
function bodyText(body: unknown): string {
  if (body === undefined) return "{}";
  return typeof body === "string" ? body : new TextDecoder().decode(body as Uint8Array);
}
