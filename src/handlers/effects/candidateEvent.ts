import {
  type GitInfo,
  type PortcullisDetailInput,
  type PortcullisDetailType,
  type PortcullisEvent,
  portcullisEvent,
} from "../../events/index.ts";
import type { Candidate } from "../../release/index.ts";
import { commitOf } from "../candidate/correlation.ts";
import type { HandlerContext } from "../HandlerContext.ts";

/** The detail fields of a Portcullis event beyond the candidate and its git info. */
export type EventExtra<T extends PortcullisDetailType> = Omit<PortcullisDetailInput<T>, "candidate" | "git">;

/**
 * Builds a Portcullis event about a candidate, stamped with the configured account, the candidate's region
 * and the clock's time.
 * @example await ctx.events.publish([candidateEvent(ctx, "Release Decided", state, { outcome, reasons })])
 */
export function candidateEvent<T extends PortcullisDetailType>(
  ctx: Pick<HandlerContext, "clock" | "settings">,
  detailType: T,
  state: Candidate,
  extra: EventExtra<T>,
): PortcullisEvent<T> {
  const detail = { candidate: state.key, git: gitInfo(state), ...extra } as PortcullisDetailInput<T>;
  return portcullisEvent(detailType, detail, {
    account: ctx.settings.account,
    region: state.key.region,
    time: ctx.clock.now(),
  });
}

/** The candidate's git metadata in the events' shape (values too long for an event are left out). */
export function gitInfo(state: Candidate): GitInfo {
  const commit = commitOf(state);
  const { ref, source } = state.git;
  return {
    ...(commit !== undefined && /^[0-9a-f]{40}$/.test(commit) ? { commit } : {}),
    ...(ref !== undefined && ref.length <= 1024 ? { ref } : {}),
    ...(source !== undefined && source.length <= 2048 ? { source } : {}),
  };
}
