import { fail, parseWithSchema, type Result, type ValidationIssue } from "../core/index.ts";
import { eventEnvelopeSchema } from "./EventEnvelope.ts";
import { findContract } from "./eventContracts.ts";
import type { NormalizedEvent } from "./NormalizedEvent.ts";

/**
 * Validates an EventBridge event (AWS's or Portcullis's own) and normalizes it, or returns every issue
 * found — envelope and detail together — each naming the dotted field and the refused value.
 * @example
 * const result = normalizeEvent(JSON.parse(body));
 * if (result.ok && result.value.kind === "scan-completed") gate(result.value);
 * else if (!result.ok) console.error(formatIssues(result.error));
 */
export function normalizeEvent(raw: unknown): Result<NormalizedEvent, ValidationIssue[]> {
  if (!isRecord(raw))
    return fail([{ field: "", value: raw, message: "must be a JSON object (an EventBridge event)" }]);
  const envelope = parseWithSchema(eventEnvelopeSchema, raw);
  const issues: ValidationIssue[] = envelope.ok ? [] : [...envelope.error];
  const { source, "detail-type": detailType, detail } = raw;
  if (typeof source !== "string" || typeof detailType !== "string" || source === "" || detailType === "")
    return fail(issues);
  const contract = findContract(source, detailType);
  if (!contract.ok) return fail([...issues, ...contract.error]);
  if (!isRecord(detail)) return fail(issues);
  const complete = contract.value.parseDetail(detail);
  if (!complete.ok) return fail([...issues, ...complete.error]);
  if (!envelope.ok) return fail(issues);
  return complete.value(envelope.value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
