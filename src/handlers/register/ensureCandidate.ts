import type { CandidateKey } from "../../core/index.ts";
import { policyForRepository } from "../../policy/policyForRepository.ts";
import { type Candidate, type Child, registerCandidate, type ScanInput } from "../../release/index.ts";
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
 * Makes sure the candidate exists: a redelivery finds it stored; otherwise it is built from the manifest and
 * created with a conditional put (a concurrent duplicate finds the winner's). Throws
 * {@link UngateableImageError} for an image that cannot be gated; refuses a build tag whose commit
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
  const built = await buildCandidate(ctx, key, commit);
  if (built.kind === "refused") return built;
  if ((await ctx.store.createCandidate(built.state)) === "exists") {
    const winner = (await ctx.store.getCandidate(key)) ?? built.state;
    return { kind: "stored", state: winner, created: false };
  }
  ctx.log.info("register: candidate registered", {
    ...correlation(built.state),
    platforms: built.state.children.map((c) => c.platform),
    promotionTags: built.state.tags.promotion,
  });
  return { kind: "stored", state: built.state, created: true };
}

/** Reads the manifest, computes the tags and registers the candidate with the scans its children already had. */
async function buildCandidate(
  ctx: HandlerContext,
  key: CandidateKey,
  commit: string,
): Promise<{ readonly kind: "built"; readonly state: Candidate } | Refused> {
  const image = await readImage(ctx.registry.clientFor(key.region), key);
  if (!image.ok) throw new UngateableImageError(key, image.error);
  const { kind, children, git } = image.value;
  if (git.revision !== undefined && git.revision !== commit) {
    const reason = `names commit ${commit}, but the image's revision is ${git.revision}`;
    return { kind: "refused", field: "detail.image-tag", value: `sha-${commit}`, reason };
  }
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
  if (transition.kind === "rejected") throw new UngateableImageError(key, transition.issues);
  return { kind: "built", state: transition.state };
}

async function earlierScans(
  ctx: HandlerContext,
  key: CandidateKey,
  children: readonly Child[],
): Promise<ScanInput[]> {
  const scans = await ctx.store.imageScans(children.map((child) => ({ ...key, digest: child.digest })));
  return [...scans].map(([digest, record]) => ({ ...record, digest }));
}
