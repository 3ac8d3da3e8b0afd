import type { ValidationIssue } from "./result.ts";

const MAX_SHOWN = 120;

/**
 * Renders an issue as one line that names the field and the value.
 * @example formatIssue({ field: "detail.image-digest", value: "sha256:abc", message: "must be …" })
 * // => 'detail.image-digest: "sha256:abc" must be …'
 */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.field || "(root)"}: ${showValue(issue.value)} ${issue.message}`;
}

/** Renders every issue, one per line. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map(formatIssue).join("\n");
}

function showValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text =
    typeof value === "string"
      ? JSON.stringify(value)
      : typeof value === "number" // JSON has no Infinity or NaN: JSON.stringify would print null
        ? String(value)
        : safeJson(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
