import type { Candidate } from "../../release/index.ts";
import { advanceCandidate } from "../candidate/advanceCandidate.ts";
import { applyScan } from "../candidate/applyScan.ts";
import { expectEvent } from "../edge/expectEvent.ts";
import { noteSkipped } from "../edge/noteSkipped.ts";
import { refuseOutOfScope } from "../edge/refuseOutOfScope.ts";
import { candidateEvent } from "../effects/candidateEvent.ts";
import { runOnce } from "../effects/runOnce.ts";
import { type HandlerContext, handlerContext } from "../HandlerContext.ts";
import type { HandlerDeps } from "../HandlerDeps.ts";
import type { RegisterResult } from "../HandlerResult.ts";
import { buildCommit } from "./buildCommit.ts";
import { ensureCandidate } from "./ensureCandidate.ts";

/**
 * The register handler: on `ECR Image Action` PUSH of a build tag (`sha-<commit>`), stores the release
 * candidate (platform children, git metadata, promotion tags), links each child to it, merges the scans that
 * arrived first, and publishes "Candidate Registered". Order matters and makes the race with the gate safe:
 * candidate first, then links, then a fresh read of the children's scans — a gate that stored its scan and
 * then read the links either saw a link (and so an existing candidate) or its scan is read here. If every
 * scan is in already, the candidate is decided at once. Other tags are ignored; events from another account,
 * region or repository are refused; a malformed event throws `ValidationError` (dead-letter queue).
 * @example
 * const register = createRegisterHandler({ store, registry, findings, events, notifications, clock, log, metrics, settings });
 * await register(eventBridgeEvent); // => { kind: "registered", created: true, promotionTags: ["main", "latest"], … }
 */
export function createRegisterHandler(deps: HandlerDeps): (event: unknown) => Promise<RegisterResult> {
  const ctx = handlerContext(deps, "register");
  return async function register(raw: unknown): Promise<RegisterResult> {
    const event = expectEvent(raw, ["image-pushed"], "register");
    const { region, repository, digest, tag } = event;
    const fields = { eventId: event.eventId, region, repository, digest, tag };
    const refusal = refuseOutOfScope(ctx.settings, event);
    if (refusal) return noteSkipped(ctx, "register", refusal, fields);
    const commit = buildCommit(tag);
    if (commit === undefined) {
      const reason = `tag ${JSON.stringify(tag ?? null)} is not a build tag (sha-<40 hex>)`;
      return noteSkipped(ctx, "register", { kind: "ignored", reason }, fields);
    }
    const registration = await ensureCandidate(ctx, { region, repository, digest }, commit);
    if (registration.kind === "refused") return noteSkipped(ctx, "register", registration, fields);
    const { state, created } = registration;
    await linkAndMerge(ctx, state);
    await announce(ctx, state);
    const progress = await advanceCandidate(ctx, state.key, { recover: false });
    return {
      kind: "registered",
      created,
      promotionTags: state.tags.promotion,
      candidate: progress ?? { key: state.key, phase: state.phase },
    };
  };
}

/** Links every child to the candidate, then applies the scans stored for them (read after the links). */
async function linkAndMerge(ctx: HandlerContext, state: Candidate): Promise<void> {
  const images = state.children.map((child) => ({ ...state.key, digest: child.digest }));
  for (const image of images) await ctx.store.linkImage(image, state.key);
  const scans = await ctx.store.imageScans(images);
  for (const [digest, record] of scans) await applyScan(ctx, state.key, { ...record, digest });
}

/** Publishes "Candidate Registered" once per candidate, whoever created it. */
async function announce(ctx: HandlerContext, state: Candidate): Promise<void> {
  const event = candidateEvent(ctx, "Candidate Registered", state, {
    platforms: state.children.map((child) => child.digest),
  });
  await runOnce(ctx, state.key, "event:registered", () => ctx.events.publish([event]));
}
