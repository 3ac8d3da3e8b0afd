import type { CandidateKey } from "../../core/index.ts";
import { policyForRepository } from "../../policy/index.ts";
import { type Candidate, registerCandidate, type ScanInput } from "../../release/index.ts";
import { correlation } from "../candidate/correlation.ts";
import { UngateableImageError } from "../errors.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { Refused } from "../HandlerResult.ts";
import { computeTags } from "./computeTags.ts";
import { readImage } from "./readImage.ts";

/** The stored candidate, and whether this invocation created it. */
export type Registration =
  | { readonly kind: "stored"; readonly state: Candidate; readonly created: boolean }
  | Refused;

/**
 * Makes sure the candidate exists: a redelivery finds it stored; otherwise the manifest is read, the tags are
 * computed and the candidate is created with a conditional put (with the scans its children already had).
 * Throws {@link UngateableImageError} for an image that cannot be gated; refuses a build tag whose commit
 * contradicts the image's own revision.
 * @example const registration = await ensureCandidate(ctx, key, commit);
 */
export async function ensureCandidate(
  ctx: HandlerContext,
  key: CandidateKey,
  commit: string,
): Promise<Registration> {
  const stored = await ctx.store.getCandidate(key);
  if (stored) return { kind: "stored", state: stored, created: false };
  const image = await readImage(ctx.registry.clientFor(key.region), key);
  if (!image.ok) throw new UngateableImageError(key, image.error);
  const { kind, children, git } = image.value;
  if (git.revision !== undefined && git.revision !== commit)
    return {
      kind: "refused",
      field: "detail.image-tag",
      value: `sha-${commit}`,
      reason: `names commit ${commit}, but the image's revision is ${git.revision}`,
    };
  const transition = registerCandidate({
    key,
    kind,
    children,
    git,
    tags: await computeTags(ctx, key, git, commit),
    now: ctx.clock.now(),
    timeoutMinutes: policyForRepository(ctx.settings.policy, key.repository).scan.timeoutMinutes,
    earlierScans: await earlierScans(ctx, key, children),
  });
  if (transition.kind !== "changed")
    throw new UngateableImageError(key, transition.kind === "rejected" ? transition.issues : []);
  if ((await ctx.store.createCandidate(transition.state)) === "exists") {
    const winner = await ctx.store.getCandidate(key);
    if (winner) return { kind: "stored", state: winner, created: false };
  }
  ctx.log.info("register: candidate registered", {
    ...correlation(transition.state),
    platforms: children.map((c) => c.platform),
    promotionTags: transition.state.tags.promotion,
  });
  return { kind: "stored", state: transition.state, created: true };
}

async function earlierScans(
  ctx: HandlerContext,
  key: CandidateKey,
  children: readonly { digest: string }[],
): Promise<ScanInput[]> {
  const scans = await ctx.store.imageScans(
    children.map((child) => ({ ...key, digest: child.digest as CandidateKey["digest"] })),
  );
  return [...scans].map(([digest, record]) => ({ ...record, digest }));
}
