import { type Document, LineCounter, parseDocument, type YAMLError } from "yaml";
import { fail, ok, parseWithSchema, type Result } from "../core/index.ts";
import { locateField } from "./locateField.ts";
import type { Policy } from "./Policy.ts";
import type { PolicyIssue } from "./PolicyIssue.ts";
import { policySchema } from "./policySchema.ts";

const MAX_ALIAS_COUNT = 50;
const EMPTY: PolicyIssue = {
  field: "",
  value: "",
  message: "is empty: a policy needs at least `version: 1` and `thresholds`",
};

/**
 * Parses and validates a policy file (YAML, or JSON: a JSON document is read by the same YAML
 * parser, so both get line numbers). Duplicate keys, unknown keys, bad severities, negative limits,
 * bad dates and bad globs are refused; every issue names the field, the value and its line.
 * @example
 * const result = parsePolicy(await readFile("portcullis.policy.yaml", "utf8"), "portcullis.policy.yaml");
 * if (!result.ok) for (const issue of result.error) console.error(formatPolicyIssue(issue));
 */
export function parsePolicy(text: string, source?: string): Result<Policy, PolicyIssue[]> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0)
    return fail(document.errors.map((error) => syntaxIssue(error, text, lineCounter, source)));
  const data = toData(document);
  if (!data.ok) return fail([withSource(data.error, source)]);
  if (data.value === null || data.value === undefined) return fail([withSource(EMPTY, source)]);
  const parsed = parseWithSchema(policySchema, data.value);
  if (parsed.ok) return ok(parsed.value);
  return fail(
    parsed.error.map((issue) =>
      withSource({ ...issue, ...locateField(document, lineCounter, issue.field) }, source),
    ),
  );
}

/** Plain data; the yaml library throws when aliases expand too much (a "billion laughs" file). */
function toData(document: Document): Result<unknown, PolicyIssue> {
  try {
    return ok(document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
  } catch (error) {
    return fail({ field: "", value: undefined, message: `is refused: ${(error as Error).message}` });
  }
}

function syntaxIssue(error: YAMLError, text: string, lineCounter: LineCounter, source?: string): PolicyIssue {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const value = text.split(/\r?\n/)[line - 1]?.trim();
  const message = `is not valid YAML/JSON: ${error.message.split("\n")[0]}`;
  return withSource({ field: "", value, message, line, column: col }, source);
}

function withSource(issue: PolicyIssue, source: string | undefined): PolicyIssue {
  const located = Object.fromEntries(
    Object.entries(issue).filter(([key, v]) => v !== undefined || key === "value"),
  );
  return (source === undefined ? located : { source, ...located }) as PolicyIssue;
}
