import type { EventPattern } from "./EventPattern.ts";
import { PatternError } from "./errors.ts";

/**
 * The shape of aws-cdk-lib's `events.EventPattern` (declared here so src/events needs no CDK import):
 * top-level fields are string arrays, `detail` is free-form.
 */
export interface CdkEventPattern {
  version?: string[];
  id?: string[];
  detailType?: string[];
  source?: string[];
  account?: string[];
  time?: string[];
  region?: string[];
  resources?: string[];
  detail?: { [key: string]: unknown };
}

const TOP_LEVEL = ["version", "id", "source", "account", "time", "region", "resources"] as const;

/**
 * Converts an EventBridge pattern to CDK's form: `detail-type` becomes `detailType` (CDK renders it
 * back), everything else is passed through unchanged. Top-level fields must be plain string lists,
 * which is all CDK's type allows; a `$or` or operator there throws {@link PatternError}.
 * @example new events.Rule(stack, "Register", { eventPattern: toCdkEventPattern(rulePatterns().register) })
 */
export function toCdkEventPattern(pattern: EventPattern): CdkEventPattern {
  const cdk: CdkEventPattern = {};
  for (const [key, value] of Object.entries(pattern)) {
    if (key === "detail") {
      if (Array.isArray(value) || typeof value !== "object") throw new PatternError(key, "must be an object");
      cdk.detail = value as { [key: string]: unknown };
    } else if (key === "detail-type") cdk.detailType = strings(key, value);
    else if ((TOP_LEVEL as readonly string[]).includes(key))
      cdk[key as (typeof TOP_LEVEL)[number]] = strings(key, value);
    else throw new PatternError(key, "is not a top-level field CDK's EventPattern can carry");
  }
  return cdk;
}

function strings(field: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
    throw new PatternError(field, "must be a list of exact strings at the top level for CDK");
  return [...value];
}
