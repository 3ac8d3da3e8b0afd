import { randomUUID } from "node:crypto";
import { parseWithSchema, ValidationError } from "../core/index.ts";
import { eventEnvelopeSchema } from "./EventEnvelope.ts";
import {
  PORTCULLIS_SOURCE,
  type PortcullisDetail,
  type PortcullisDetailInput,
  type PortcullisDetailType,
  portcullisDetailSchemas,
} from "./portcullisDetails.ts";

/** A Portcullis event in EventBridge's shape (what the local bus carries and rules match). */
export interface PortcullisEvent<T extends PortcullisDetailType = PortcullisDetailType> {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": T;
  readonly source: typeof PORTCULLIS_SOURCE;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: PortcullisDetail<T>;
}

/** What EventBridge fills in on PutEvents and the local bus must supply itself. */
export interface PortcullisEventOptions {
  /** Defaults to a random UUID. */
  readonly id?: string;
  /** Defaults to now. */
  readonly time?: Date;
  /** Defaults to {@link portcullisEventDefaults}.account (the local pipeline's placeholder account). */
  readonly account?: string;
  /** Defaults to the candidate's region. */
  readonly region?: string;
}

/** Defaults for {@link portcullisEvent}. */
export const portcullisEventDefaults = { account: "000000000000" } as const;

/**
 * Builds a Portcullis event after validating its detail. Throws {@link ValidationError} on an invalid
 * detail: publishing one would be a bug in the caller, and nothing downstream could act on it.
 * @example
 * portcullisEvent("Release Decided", {
 *   candidate: { region: "us-east-1", repository: "team/app", digest },
 *   git: { commit },
 *   outcome: "passed",
 *   reasons: [],
 * });
 */
export function portcullisEvent<T extends PortcullisDetailType>(
  detailType: T,
  detail: PortcullisDetailInput<T>,
  options: PortcullisEventOptions = {},
): PortcullisEvent<T> {
  const parsed = parseWithSchema(portcullisDetailSchemas[detailType], detail, "detail");
  if (!parsed.ok) throw new ValidationError(`${detailType} event`, parsed.error);
  const valid = parsed.value as PortcullisDetail<T>;
  const event: PortcullisEvent<T> = {
    version: "0",
    id: options.id ?? randomUUID(),
    "detail-type": detailType,
    source: PORTCULLIS_SOURCE,
    account: options.account ?? portcullisEventDefaults.account,
    time: (options.time ?? new Date()).toISOString(),
    region: options.region ?? valid.candidate.region,
    resources: [],
    detail: valid,
  };
  const envelope = parseWithSchema(eventEnvelopeSchema, event);
  if (!envelope.ok) throw new ValidationError(`${detailType} event`, envelope.error);
  return event;
}
