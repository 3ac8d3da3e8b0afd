import type { z } from "zod";
import { ok, parseWithSchema, type Result } from "../core/index.ts";
import type { EventEnvelope } from "./EventEnvelope.ts";
import type { NormalizedEvent } from "./NormalizedEvent.ts";

/** Completes a normalized event once the envelope is known to be valid. */
export type CompleteEvent = (envelope: EventEnvelope) => Result<NormalizedEvent>;

/** One accepted (source, detail-type) pair: how to validate its detail and normalize it. */
export interface EventContract {
  readonly source: string;
  readonly detailType: string;
  /** Validates `detail` (issues are named `detail.…`); on success returns the step that completes the event. */
  parseDetail(detail: unknown): Result<CompleteEvent>;
}

/** What a contract file declares: the detail schema and the pure normalization that follows it. */
export interface ContractSpec<S extends z.ZodType> {
  readonly source: string;
  readonly detailType: string;
  readonly detail: S;
  normalize(envelope: EventEnvelope, detail: z.output<S>): Result<NormalizedEvent>;
}

/**
 * Builds an {@link EventContract} from a detail schema and a normalizer.
 * @example defineContract({ source: "aws.ecr", detailType: "ECR Image Scan", detail: schema, normalize })
 */
export function defineContract<S extends z.ZodType>(spec: ContractSpec<S>): EventContract {
  return {
    source: spec.source,
    detailType: spec.detailType,
    parseDetail(detail) {
      const parsed = parseWithSchema(spec.detail, detail, "detail");
      if (!parsed.ok) return parsed;
      return ok((envelope: EventEnvelope) => spec.normalize(envelope, parsed.value));
    },
  };
}
