import type { FindingChanged } from "../../events/index.ts";
import { expectEvent } from "../edge/expectEvent.ts";
import { noteSkipped } from "../edge/noteSkipped.ts";
import { isScheduledEvent, parseScheduledEvent } from "../edge/parseScheduledEvent.ts";
import { refuseOutOfScope } from "../edge/refuseOutOfScope.ts";
import { type HandlerContext, handlerContext } from "../HandlerContext.ts";
import type { HandlerDeps } from "../HandlerDeps.ts";
import type { ReconcileResult, Reevaluation } from "../HandlerResult.ts";
import { reevaluatePromoted } from "./reevaluatePromoted.ts";
import { sweep } from "./sweep.ts";

/**
 * The reconcile handler, for two events. On a schedule (`aws.events` "Scheduled Event"): candidates waiting
 * too long are polled through the FindingsSource (a COMPLETE report counts as the lost scan event), decided,
 * or failed closed past the policy's timeout and reported; decided and promoted candidates whose side effects
 * a crash interrupted are finished — a passed candidate is always promoted in the end. On `Inspector2
 * Finding` for a platform image of a promoted candidate: re-evaluates it once per finding change, and when
 * it now fails, notifies, demotes or starts a grace period as the policy's `onNewFinding` says; a CLOSED
 * finding only matters when the image is no longer monitored (SCAN_ELIGIBILITY_EXPIRED), which is reported. Out-of-scope events are refused; malformed ones throw
 * `ValidationError`.
 * @example
 * const reconcile = createReconcileHandler(deps);
 * await reconcile(scheduledEvent); // => { kind: "swept", candidates: [...], failures: [] }
 */
export function createReconcileHandler(deps: HandlerDeps): (event: unknown) => Promise<ReconcileResult> {
  const ctx = handlerContext(deps, "reconcile");
  return async function reconcile(raw: unknown): Promise<ReconcileResult> {
    if (isScheduledEvent(raw)) {
      const tick = parseScheduledEvent(raw);
      const refusal = refuseOutOfScope(ctx.settings, tick);
      if (refusal) return noteSkipped(ctx, "reconcile", refusal, { eventId: tick.eventId });
      return sweep(ctx);
    }
    const finding = expectEvent(raw, ["finding-changed"], "reconcile");
    const fields = {
      eventId: finding.eventId,
      region: finding.region,
      repository: finding.repository,
      digest: finding.digest,
      findingId: finding.id,
    };
    const refusal = refuseOutOfScope(ctx.settings, finding);
    if (refusal) return noteSkipped(ctx, "reconcile", refusal, fields);
    // CLOSED is read too, for what it may mean: Inspector stopped rescanning (SCAN_ELIGIBILITY_EXPIRED).
    if (finding.status === "SUPPRESSED")
      return noteSkipped(ctx, "reconcile", { kind: "ignored", reason: "finding is SUPPRESSED" }, fields);
    return reevaluate(ctx, finding, fields);
  };
}

async function reevaluate(
  ctx: HandlerContext,
  finding: FindingChanged,
  fields: Record<string, unknown>,
): Promise<ReconcileResult> {
  const keys = await ctx.store.candidatesOf({
    region: finding.region,
    repository: finding.repository,
    digest: finding.digest,
  });
  if (keys.length === 0)
    return noteSkipped(
      ctx,
      "reconcile",
      { kind: "ignored", reason: "the image belongs to no candidate" },
      fields,
    );
  const candidates: Reevaluation[] = [];
  for (const key of keys) candidates.push(await reevaluatePromoted(ctx, key, finding));
  return { kind: "re-evaluated", candidates };
}
