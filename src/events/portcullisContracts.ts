import { ok } from "../core/index.ts";
import { defineContract, type EventContract } from "./EventContract.ts";
import { type EventBase, eventBase } from "./EventEnvelope.ts";
import {
  PORTCULLIS_SOURCE,
  type PortcullisDetail,
  type PortcullisDetailType,
  portcullisDetailSchemas,
} from "./portcullisDetails.ts";

/** A Portcullis event, normalized: narrow on `detailType` to get the typed `detail`. */
export type PortcullisNormalized = {
  [T in PortcullisDetailType]: EventBase & {
    readonly kind: "portcullis";
    readonly detailType: T;
    readonly detail: PortcullisDetail<T>;
  };
}[PortcullisDetailType];

function portcullisContract<T extends PortcullisDetailType>(detailType: T): EventContract {
  return defineContract({
    source: PORTCULLIS_SOURCE,
    detailType,
    detail: portcullisDetailSchemas[detailType],
    normalize(envelope, detail) {
      return ok({ kind: "portcullis", ...eventBase(envelope), detailType, detail } as PortcullisNormalized);
    },
  });
}

/** One contract per Portcullis detail-type (source `portcullis`). */
export const portcullisContracts: readonly EventContract[] = (
  Object.keys(portcullisDetailSchemas) as PortcullisDetailType[]
).map(portcullisContract);
