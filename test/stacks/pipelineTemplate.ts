import type { CfnProps, CfnTemplate } from "./synthPortcullis.ts";

/** One IAM statement as synthesized. */
export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The resources of a type, with their logical ids. */
export function resourcesOf(template: CfnTemplate, type: string): [string, CfnProps][] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, (resource.Properties ?? {}) as CfnProps]);
}

/** The logical id of the function whose entry point is functions/<name>.ts. */
export function functionId(template: CfnTemplate, name: string): string {
  const found = resourcesOf(template, "AWS::Lambda::Function").filter(
    ([, props]) => props.Handler === `functions/${name}.handler`,
  );
  if (found.length !== 1) throw new Error(`${found.length} functions for functions/${name}.ts`);
  return (found[0] as [string, CfnProps])[0];
}

/** The logical id a `{ "Fn::GetAtt": [id, …] }` or `{ Ref: id }` points at. */
export function referenced(value: unknown): string | undefined {
  const v = value as { Ref?: string; "Fn::GetAtt"?: [string, string] } | undefined;
  return v?.Ref ?? v?.["Fn::GetAtt"]?.[0];
}

/** The queue a function's failed asynchronous invocations go to (its on-failure destination). */
export function deadLettersOf(template: CfnTemplate, fnId: string): string {
  const config = resourcesOf(template, "AWS::Lambda::EventInvokeConfig").find(
    ([, props]) => referenced(props.FunctionName) === fnId,
  );
  const queue = referenced(config?.[1].DestinationConfig?.OnFailure?.Destination);
  if (queue === undefined) throw new Error(`${fnId} has no on-failure destination`);
  return queue;
}

/** Every statement of the identity policies attached to a function's role. */
export function roleStatements(template: CfnTemplate, fnId: string): Statement[] {
  const role = referenced(template.Resources[fnId]?.Properties?.Role);
  return resourcesOf(template, "AWS::IAM::Policy")
    .filter(([, props]) => (props.Roles as unknown[]).some((r) => referenced(r) === role))
    .flatMap(([, props]) => props.PolicyDocument.Statement as Statement[]);
}

/** A statement's actions as a list. */
export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** A statement's resources as a list. */
export const resourceList = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/**
 * A CloudFormation string value as text: `Fn::Join` flattened, `Ref` and `Fn::GetAtt` written `${id}` /
 * `${id.attr}`, `Fn::ImportValue` written `${import:name}`.
 */
export function text(value: unknown): string {
  if (typeof value === "string") return value;
  const v = value as Record<string, unknown>;
  if ("Fn::Join" in v) {
    const [separator, parts] = v["Fn::Join"] as [string, unknown[]];
    return parts.map(text).join(separator);
  }
  if ("Ref" in v) return `\${${String(v.Ref)}}`;
  if ("Fn::GetAtt" in v) return `\${${(v["Fn::GetAtt"] as string[]).join(".")}}`;
  if ("Fn::ImportValue" in v) return `\${import:${String(v["Fn::ImportValue"])}}`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}
