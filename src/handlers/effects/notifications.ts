import type { CandidateKey, Severity } from "../../core/index.ts";
import type { GitInfo } from "../../events/index.ts";
import type {
  Candidate,
  DecidedCandidate,
  DecisionOutcome,
  FindingRef,
  JsonValue,
  PromotedCandidate,
} from "../../release/index.ts";
import type { HandlerSettings } from "../HandlerDeps.ts";
import type { DemotedTag } from "../HandlerResult.ts";
import type { Notification } from "../ports.ts";
import { gitInfo } from "./candidateEvent.ts";
import { decisionReasons, highestSeverity } from "./describeDecision.ts";

/** What a notification is about. */
export type NotificationKind =
  | "release-rejected"
  | "image-promoted"
  | "finding-on-promoted-image"
  | "image-unmonitored";

/** The JSON body of every notification the handlers publish (what the Slack subscriber renders). */
export interface NotificationBody {
  readonly kind: NotificationKind;
  readonly candidate: CandidateKey;
  readonly git: GitInfo;
  readonly outcome: DecisionOutcome | "finding";
  /** Sentences: failure reasons, timeout waits, why a pass was not promoted. */
  readonly reasons: readonly string[];
  /** Promotion tags: moved (promoted), or that would have moved (rejected). */
  readonly tags: readonly string[];
  /** The stored decision reasons: a verdict summary (src/report) or a timeout's details. */
  readonly decision: JsonValue;
  readonly finding?: {
    readonly id: string;
    readonly severity: Severity;
    readonly title: string;
    readonly platform: string;
    readonly findingArn: string;
    readonly sourceUrl: string | null;
  };
  readonly action?: "notify" | "demote";
  readonly demotion?: readonly DemotedTag[];
  /** A grace period's deadline (ISO 8601) and the whole days left when notified. */
  readonly demoteAt?: string;
  readonly daysLeft?: number;
  /** An image no longer monitored: its SCAN_ELIGIBILITY_EXPIRED platform images, and since when. */
  readonly platforms?: readonly string[];
  readonly since?: string;
  /** The decision's signed verification summary and the command that verifies it (when decisions are signed). */
  readonly attestation?: AttestationNote;
}

/** What a notification says about the signed decision. */
export interface AttestationNote {
  readonly result: "PASSED" | "FAILED";
  readonly verify: string;
}

/** What a finding on a promoted image led to. */
export interface FindingChange {
  readonly action: "notify" | "demote";
  readonly reasons: readonly string[];
  /** The tags moved back, once demoted. */
  readonly demotion?: readonly DemotedTag[];
  /** With a grace period, before it ends: the deadline and the days left now. */
  readonly grace?: { readonly demoteAt: string; readonly daysLeft: number };
  /** Names this change among the finding's (finding ARN + the fields that change a decision). */
  readonly changeKey: string;
}

const SUBJECT_LIMIT = 100;

/**
 * The notification for a failed or timed-out decision; one per candidate (its id repeats on retries).
 * @example await ctx.notifications.publish(rejectionNotification(state, ctx.settings))
 */
export function rejectionNotification(
  state: DecidedCandidate,
  settings: Pick<HandlerSettings, "refFilter">,
  attestation?: AttestationNote,
): Notification {
  const outcome = state.decision.outcome;
  return notification(state, "release-rejected", `Rejected (${outcome})`, {
    outcome,
    reasons: decisionReasons(state, settings),
    tags: state.tags.promotion,
    severity: highestSeverity(state.decision.reasons),
    ...(attestation && { attestation }),
  });
}

/** The notification for a promotion; one per candidate. */
export function promotionNotification(
  state: PromotedCandidate,
  settings: Pick<HandlerSettings, "refFilter">,
  attestation?: AttestationNote,
): Notification {
  return notification(state, "image-promoted", `Promoted to ${state.promotion.tags.join(", ")}`, {
    outcome: "passed",
    reasons: decisionReasons(state, settings),
    tags: state.promotion.tags,
    severity: "NONE",
    ...(attestation && { attestation }),
  });
}

/** The notification for a new finding that makes a promoted image fail its policy; one per finding. */
export function findingNotification(
  state: PromotedCandidate,
  finding: FindingRef,
  change: FindingChange,
): Notification {
  const verb = change.grace
    ? "Demotion scheduled for"
    : change.action === "demote"
      ? "Demoted"
      : "New finding on";
  const base = notification(state, "finding-on-promoted-image", `${verb} ${finding.id}`, {
    outcome: "finding",
    reasons: change.reasons,
    tags: state.promotion.tags,
    severity: finding.severity,
  });
  const body: NotificationBody = {
    ...(base.body as NotificationBody),
    finding: {
      id: finding.id,
      severity: finding.severity,
      title: finding.title,
      platform: finding.digest,
      findingArn: finding.findingArn,
      sourceUrl: finding.sourceUrl ?? null,
    },
    action: change.action,
    ...(change.demotion === undefined ? {} : { demotion: change.demotion }),
    ...(change.grace && { demoteAt: change.grace.demoteAt, daysLeft: change.grace.daysLeft }),
  };
  const stage = change.grace ? "grace" : change.demotion ? "demoted" : change.action;
  return { ...base, body, id: `${base.id}#${finding.findingArn}#${change.changeKey}#${stage}` };
}

/** The notification that a promoted image is no longer monitored (SCAN_ELIGIBILITY_EXPIRED); one per candidate. */
export function unmonitoredNotification(
  state: PromotedCandidate,
  platforms: readonly string[],
  since: string,
): Notification {
  const base = notification(state, "image-unmonitored", "No longer monitored", {
    outcome: "finding",
    reasons: [
      "Inspector's rescan window ended (SCAN_ELIGIBILITY_EXPIRED): its findings were closed, not fixed; nothing is cleared because of it",
    ],
    tags: state.promotion.tags,
    severity: "NONE",
  });
  return { ...base, body: { ...(base.body as NotificationBody), platforms, since } };
}

interface Common {
  readonly outcome: NotificationBody["outcome"];
  readonly reasons: readonly string[];
  readonly tags: readonly string[];
  readonly severity: string;
  readonly attestation?: AttestationNote;
}

function notification(
  state: Candidate,
  kind: NotificationKind,
  headline: string,
  common: Common,
): Notification {
  const { key } = state;
  const body: NotificationBody = {
    kind,
    candidate: key,
    git: gitInfo(state),
    outcome: common.outcome,
    reasons: common.reasons,
    tags: common.tags,
    decision: state.phase === "scanning" ? null : state.decision.reasons,
    ...(common.attestation && { attestation: common.attestation }),
  };
  const subject = `${headline}: ${key.repository}@${key.digest.slice(0, 19)}`;
  return {
    subject: subject.length <= SUBJECT_LIMIT ? subject : `${subject.slice(0, SUBJECT_LIMIT - 1)}…`,
    body,
    attributes: { repository: key.repository, outcome: common.outcome, severity: common.severity },
    id: `${key.region}/${key.repository}@${key.digest}#${kind}`,
  };
}
