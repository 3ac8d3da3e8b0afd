import { ValidationError } from "../../core/index.ts";
import { parseScan } from "../../release/index.ts";
import { keepImageScan } from "../../store/index.ts";
import { advanceCandidate } from "../candidate/advanceCandidate.ts";
import { applyScan } from "../candidate/applyScan.ts";
import { expectEvent } from "../edge/expectEvent.ts";
import { noteSkipped } from "../edge/noteSkipped.ts";
import { refuseOutOfScope } from "../edge/refuseOutOfScope.ts";
import { handlerContext } from "../HandlerContext.ts";
import type { HandlerDeps } from "../HandlerDeps.ts";
import type { CandidateProgress, GateResult } from "../HandlerResult.ts";
import { scanInput } from "./scanInput.ts";

/**
 * The gate handler: on `ECR Image Scan` or `Inspector2 Scan` for a platform image, keeps the image's scan
 * (a terminal result over a pending one, whatever the order), then records it on every candidate the image
 * belongs to. When a candidate's scans are all in, it fetches every child's full findings, evaluates the
 * policy and records the decision exactly once (the version-conditional write picks the winner; a loser does
 * nothing more); the winner publishes "Release Decided", and on a pass promotes the tags (claimed first, so
 * one invocation promotes), marks the candidate promoted and publishes "Image Promoted", with notifications
 * for rejections and promotions. A scan for an image no candidate has yet is kept for its registration.
 * Events from another account, region or repository are refused; malformed ones throw `ValidationError`.
 * @example
 * const gate = createGateHandler(deps);
 * await gate(ecrImageScanEvent); // => { kind: "scan-applied", scan: "stored", candidates: [{ phase: "promoted", … }] }
 */
export function createGateHandler(deps: HandlerDeps): (event: unknown) => Promise<GateResult> {
  const ctx = handlerContext(deps, "gate");
  return async function gate(raw: unknown): Promise<GateResult> {
    const event = expectEvent(raw, ["scan-completed"], "gate");
    const { region, repository, digest } = event;
    const fields = { eventId: event.eventId, region, repository, digest, status: event.status };
    const refusal = refuseOutOfScope(ctx.settings, event);
    if (refusal) return noteSkipped(ctx, "gate", refusal, fields);
    const input = scanInput(event);
    const parsed = parseScan(input);
    if (!parsed.ok) throw new ValidationError("gate event", parsed.error);
    const image = { region, repository, digest };
    const kept = await keepImageScan(ctx.store, image, parsed.value.record, {
      maxAttempts: ctx.settings.maxSaveAttempts,
    });
    const keys = await ctx.store.candidatesOf(image);
    if (keys.length === 0)
      ctx.log.info("gate: no candidate has this image yet; its scan is kept for the registration", fields);
    const candidates: CandidateProgress[] = [];
    for (const key of keys) {
      await applyScan(ctx, key, input);
      const progress = await advanceCandidate(ctx, key, { recover: false });
      if (progress) candidates.push(progress);
    }
    return { kind: "scan-applied", scan: kept, candidates };
  };
}
