import { runSimulation } from "@cloud-copilot/iam-simulate";
import { type AwsCall, uniqueCalls } from "./AwsCall.ts";
import type { DeployedRole, PolicyDocument } from "./deployedPolicies.ts";
import { ACCOUNT } from "./deployment.ts";

/** A call the simulator did not allow, and why. */
export interface RefusedCall {
  readonly call: AwsCall;
  /** `ImplicitlyDenied`, `ExplicitlyDenied`, or the simulator's validation errors. */
  readonly result: string;
}

/**
 * Evaluates each distinct call with @cloud-copilot/iam-simulate as AWS would: the caller's identity policies, the
 * resource's policy when it has one (a key, topic, queue, function), over TLS, in this account.
 */
export async function refusedCalls(
  calls: readonly AwsCall[],
  roleOf: (caller: string) => DeployedRole,
  resourcePolicies: ReadonlyMap<string, PolicyDocument> = new Map(),
): Promise<RefusedCall[]> {
  const refused: RefusedCall[] = [];
  for (const call of uniqueCalls(calls)) {
    const role = roleOf(call.caller);
    const result = await simulate({
      principal: role.arn,
      action: call.action,
      resource: call.resource,
      context: call.context ?? {},
      identityPolicies: role.policies,
      resourcePolicy: resourcePolicies.get(call.resource) ?? defaultKeyPolicy(call.resource),
    });
    if (result !== "Allowed") refused.push({ call, result });
  }
  return refused;
}

/**
 * KMS's default key policy (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html), which
 * lets IAM policies grant use of the key, for a key the deployment does not create (a key named in the
 * configuration): KMS refuses every request its key policy does not allow, whatever the IAM policies say.
 */
function defaultKeyPolicy(resource: string): PolicyDocument | undefined {
  if (!/^arn:aws[a-z-]*:kms:/.test(resource)) return undefined;
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
    ],
  };
}

/** One request, as the simulator takes it. */
export interface SimulatedRequest {
  /** A role ARN, or a service principal such as `events.amazonaws.com`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly identityPolicies: DeployedRole["policies"];
  readonly resourcePolicy?: PolicyDocument | undefined;
}

/** The simulator's verdict on one request: `Allowed`, a denial, or its validation errors as text. */
export async function simulate(request: SimulatedRequest): Promise<string> {
  const response = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: {
          "aws:SecureTransport": "true",
          ...Object.fromEntries(
            Object.entries(request.context).map(([key, value]) => [
              key,
              typeof value === "string" ? value : [...value],
            ]),
          ),
        },
      },
      identityPolicies: request.identityPolicies.map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy !== undefined && { resourcePolicy: request.resourcePolicy }),
    },
    {},
  );
  if (response.resultType === "error") return `invalid request: ${JSON.stringify(response.errors)}`;
  return response.overallResult;
}

/** A refused call as one line: who, what, on what, from where. */
export function describeRefusal({ call, result }: RefusedCall): string {
  return `${call.caller} may not ${call.action} on ${call.resource} (${result}), called at ${call.site}`;
}
