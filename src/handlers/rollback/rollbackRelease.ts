import { createHash } from "node:crypto";
import type { Digest } from "../../core/digest.ts";
import type { ValidationIssue } from "../../core/result.ts";
import type { GitInfo } from "../../events/index.ts";
import { describeReason } from "../../policy/describeReason.ts";
import {
  type Candidate,
  checkRollbackTarget,
  chooseRollback,
  type RollbackRefusal,
  type RollbackTarget,
  type TagHistoryFact,
} from "../../release/index.ts";
import { type ReleaseCatalog, updateTagHistory } from "../../store/index.ts";
import { evaluateCandidate } from "../candidate/evaluateCandidate.ts";
import { candidateEvent, gitInfo } from "../effects/candidateEvent.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import {
  moveTagsEverywhere,
  preflightRegions,
  type RegionTagResult,
} from "../tagMoves/moveTagsEverywhere.ts";

/** What `portcullis rollback` asks for. */
export interface RollbackOrder {
  readonly repository: string;
  readonly to: RollbackTarget;
  readonly tags?: readonly string[];
  readonly reason: string;
  /** The operator (recorded in the history and the report). */
  readonly by: string;
  readonly force: boolean;
}

/** What a rollback did. */
export interface RollbackOutcome {
  readonly repository: string;
  readonly to: Digest;
  readonly from: Readonly<Record<string, Digest>>;
  readonly tags: readonly string[];
  /** The checks `--force` overrode (empty when none was needed). */
  readonly forced: readonly RollbackRefusal[];
  readonly regions: readonly RegionTagResult[];
  /** The target's commit and ref, for the report. */
  readonly git: GitInfo;
}

/** The ports a rollback uses: the handlers' own, plus the operator's reads. */
export type RollbackContext = Pick<
  HandlerContext,
  "store" | "registry" | "findings" | "settings" | "clock" | "log" | "metrics" | "notifications" | "events"
> & { readonly catalog: ReleaseCatalog };

/** The rollback was refused before anything moved: each issue names the field and the value. */
export class RollbackRefusedError extends Error {
  override readonly name = "RollbackRefusedError";
  constructor(
    readonly issues: readonly ValidationIssue[],
    /** "input" for an unknown repository, tag or digest or a failing check; "region" for a region that cannot take it. */
    readonly kind: "input" | "region",
  ) {
    super(issues.map((issue) => `${issue.field} ${JSON.stringify(issue.value)} ${issue.message}`).join("\n"));
  }
}

/**
 * Rolls promotion tags back onto an earlier release: chooses the tags and the digest (chooseRollback), checks
 * the digest is a release Portcullis promoted that still passes the current policy and each tag held before
 * (checkRollbackTarget; `force` overrides, recorded), checks every region has the digest, and only then
 * records the rollback in each tag's history (so a late event of the rolled-back release does not move the
 * tag back) and moves the tags in the primary and every replica region, reading each back. Refusals throw
 * {@link RollbackRefusedError} with nothing moved; a region that fails mid-way is a result (run it again).
 * Rejected and in-flight candidates are never read or written. Publishes "Release Rolled Back" on the
 * target (its commit's check run says so) and a notification (Slack).
 * @example await rollbackRelease(ctx, { repository: "app", to: { kind: "previous" }, reason: "p99", by: "alice", force: false })
 */
export async function rollbackRelease(ctx: RollbackContext, order: RollbackOrder): Promise<RollbackOutcome> {
  const primary = ctx.settings.regions[0];
  if (primary === undefined) throw new Error("rollback: no primary region configured");
  const { repository } = order;
  if (!ctx.settings.repositories.includes(repository))
    throw new RollbackRefusedError(
      [
        {
          field: "REPOSITORY",
          value: repository,
          message: `is not a configured repository (${ctx.settings.repositories.join(", ")})`,
        },
      ],
      "input",
    );
  const histories = await historyFacts(ctx.catalog, primary, repository);
  const primaryTags = await tagDigests(ctx, primary, repository, [
    ...new Set([...Object.keys(histories), ...(order.tags ?? [])]),
  ]);
  const choice = chooseRollback(
    { repository, to: order.to, force: order.force, ...(order.tags && { tags: order.tags }) },
    { primaryTags, histories },
  );
  if (!choice.ok) throw new RollbackRefusedError(choice.error, "input");
  const { to, tags } = choice.value;
  const candidate = await ctx.store.getCandidate({ region: primary, repository, digest: to });
  const check = checkRollbackTarget(
    choice.value,
    histories,
    { candidate, ...(await policyCheck(ctx, candidate)) },
    order.force,
  );
  if (check.refusals.length > 0) throw new RollbackRefusedError(check.refusals, "input");
  const regions = [primary, ...ctx.settings.replicaRegions];
  const problems = await preflightRegions(ctx.registry, { regions, repository, digest: to, tags });
  if (problems.length > 0)
    throw new RollbackRefusedError(
      problems.map((p) => ({ field: "region", value: p.region, message: p.error })),
      "region",
    );
  const now = ctx.clock.now();
  const note = { by: order.by, reason: order.reason, ...(check.forced.length > 0 && { forced: true }) };
  for (const tag of tags)
    await updateTagHistory(
      ctx.store,
      { region: primary, repository },
      tag,
      { kind: "rolled-back", digest: to, note },
      now,
    );
  const results = await moveTagsEverywhere(ctx.registry, { regions, repository, digest: to, tags });
  const outcome: RollbackOutcome = {
    repository,
    to,
    from: choice.value.from,
    tags,
    forced: check.forced,
    regions: results,
    git: candidate ? gitInfo(candidate) : {},
  };
  ctx.metrics.count("Rollbacks", 1, { forced: String(check.forced.length > 0) });
  ctx.log.warn("rollback: tags moved", { repository, to, tags, by: order.by, reason: order.reason });
  if (candidate !== undefined) await ctx.events.publish([rollbackEvent(ctx, candidate, order, outcome)]);
  await ctx.notifications.publish(rollbackNotification(primary, order, outcome));
  return outcome;
}

/** "Release Rolled Back" on the rolled-back-to candidate: the report handler shows it on that commit's check run. */
function rollbackEvent(
  ctx: Pick<RollbackContext, "clock" | "settings">,
  candidate: Candidate,
  order: RollbackOrder,
  outcome: RollbackOutcome,
) {
  return candidateEvent(ctx, "Release Rolled Back", candidate, {
    tags: [...outcome.tags],
    from: { ...outcome.from },
    by: order.by.slice(0, 200),
    reason: order.reason.slice(0, 1000),
    forced: outcome.forced.length > 0,
  });
}

/** The Slack-bound notification of a rollback (kind `release-rolled-back`). */
export function rollbackNotification(region: string, order: RollbackOrder, outcome: RollbackOutcome) {
  const failed = outcome.regions.filter((r) => r.kind === "failed").map((r) => r.region);
  const id = createHash("sha256")
    .update(JSON.stringify([region, outcome.repository, outcome.to, outcome.tags, order.reason]))
    .digest("hex")
    .slice(0, 32);
  return {
    subject: `Rolled back ${outcome.repository} to ${outcome.to.slice(7, 19)}`.slice(0, 100),
    id,
    attributes: { repository: outcome.repository, outcome: "rolled-back", severity: "NONE" },
    body: {
      kind: "release-rolled-back",
      candidate: { region, repository: outcome.repository, digest: outcome.to },
      git: outcome.git,
      tags: outcome.tags,
      reasons: [
        `${order.by}: ${order.reason}`,
        ...outcome.forced.map((f) => `forced past: ${f.field} ${String(f.value)} ${f.message}`),
      ],
      from: outcome.from,
      by: order.by,
      forced: outcome.forced.length > 0,
      failedRegions: failed,
    },
  };
}

async function historyFacts(
  catalog: ReleaseCatalog,
  region: string,
  repository: string,
): Promise<Record<string, readonly TagHistoryFact[]>> {
  const histories = await catalog.tagHistories({ region, repository });
  return Object.fromEntries([...histories].map(([tag, history]) => [tag, history.entries]));
}

async function tagDigests(
  ctx: Pick<RollbackContext, "registry">,
  region: string,
  repository: string,
  tags: readonly string[],
): Promise<Record<string, Digest>> {
  const client = ctx.registry.clientFor(region);
  const digests: Record<string, Digest> = {};
  for (const tag of tags) {
    const found = await client.headManifest(repository, tag);
    if (found) digests[tag] = found.digest;
  }
  return digests;
}

async function policyCheck(
  ctx: Pick<RollbackContext, "findings" | "settings" | "clock">,
  candidate: Candidate | undefined,
): Promise<{ passesPolicy: boolean | undefined; policyReasons?: string[] }> {
  if (candidate === undefined) return { passesPolicy: undefined };
  try {
    const verdict = await evaluateCandidate(ctx, candidate, ctx.clock.now());
    if (verdict.outcome === "pass") return { passesPolicy: true };
    return { passesPolicy: false, policyReasons: verdict.reasons.map(describeReason) };
  } catch (error) {
    return {
      passesPolicy: false,
      policyReasons: [`its findings could not be read: ${(error as Error).message}`],
    };
  }
}
