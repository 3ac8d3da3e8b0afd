import { actionsOf, resourceList, roleStatements, text } from "./pipelineTemplate.ts";
import type { CfnTemplate } from "./synthPortcullis.ts";

/** One allowed (actions, resource) pair of a function's role, the resource written readably. */
export interface Grant {
  readonly actions: string[];
  /** `*`, `<table>`, `<GateLogs>`, `arn:<partition>:ecr:us-east-1:<account>:repository/…`. */
  readonly resource: string;
  readonly condition?: unknown;
}

/** State's exports, by the logical id they start with. */
const STATE_EXPORTS: [RegExp, string][] = [
  [/ReleaseState/, "<table>"],
  [/StateKey/, "<state-key>"],
  [/AttestationKey/, "<attestation-key>"],
  [/Events/, "<bus>"],
  [/Notifications/, "<topic>"],
];

/** A resource as text with partition, account, State's exports and this stack's logical ids made readable. */
export function readable(resource: unknown): string {
  return text(resource)
    .replaceAll(`\${AWS::Partition}`, "<partition>")
    .replaceAll(`\${AWS::AccountId}`, "<account>")
    .replace(/:my-account:/g, ":<account>:")
    .replace(
      /\$\{import:test-portcullis-State:ExportsOutput(?:Ref|FnGetAtt)([A-Za-z]+)[^}]*\}/g,
      (_, id: string) => {
        const known = STATE_EXPORTS.find(([pattern]) => pattern.test(id));
        return known ? known[1] : `<State:${id}>`;
      },
    )
    .replace(/\$\{([A-Za-z]+?)[0-9A-F]{8}(?:\.Arn)?\}/g, "<$1>");
}

/** Every Allow of a function's role as (actions, one resource) pairs; Deny statements are refused (none expected). */
export function grantsOf(template: CfnTemplate, fnId: string): Grant[] {
  return roleStatements(template, fnId).flatMap((statement) => {
    if (statement.Effect !== "Allow") throw new Error(`unexpected ${statement.Effect} in ${fnId}'s policy`);
    return resourceList(statement).map((resource) => ({
      actions: actionsOf(statement),
      resource: readable(resource),
      ...(statement.Condition !== undefined && { condition: statement.Condition }),
    }));
  });
}
