import type { Digest } from "../core/digest.ts";
import { fail, ok, type Result, type ValidationIssue } from "../core/result.ts";
import { isFloatingTag } from "../tags/isFloatingTag.ts";
import type { Candidate } from "./Candidate.ts";

/** Where a rollback goes: a digest, or the release the tags held before the current one. */
export type RollbackTarget =
  | { readonly kind: "previous" }
  | { readonly kind: "digest"; readonly digest: Digest };

/** One move of a tag's history, as the store keeps it (only what a rollback decision reads). */
export interface TagHistoryFact {
  readonly digest: Digest;
  readonly at: string;
  readonly demotedAt?: string;
  readonly rolledBackAt?: string;
  readonly cause?: string;
  readonly by?: string;
}

/** What the operator asked for. */
export interface RollbackRequest {
  readonly repository: string;
  readonly to: RollbackTarget;
  /** The tags to move; default: the floating tags the current release holds. */
  readonly tags?: readonly string[];
  readonly force: boolean;
}

/** What the primary region says now. */
export interface RollbackFacts {
  /** Where each tag of the repository points in the primary region (tags listed, then resolved). */
  readonly primaryTags: Readonly<Record<string, Digest>>;
  /** Each promotion tag's history in the primary region, oldest first. */
  readonly histories: Readonly<Record<string, readonly TagHistoryFact[]>>;
}

/** The tags to move and where: chosen before anything is checked or moved. */
export interface RollbackChoice {
  readonly repository: string;
  readonly tags: readonly string[];
  /** Where the tags point now (the release rolled back); per tag, as they may differ. */
  readonly from: Readonly<Record<string, Digest>>;
  readonly to: Digest;
  /** True when `--to previous` was resolved from the history. */
  readonly resolvedPrevious: boolean;
}

/**
 * Chooses which tags a rollback moves and the digest they go to. The tags are those named, or else the
 * floating tags (`latest`, `main`, `1.2`, `1`; never an exact version) that point at the current release
 * (the digest the most recently moved Portcullis-managed tag holds) and pointed at the target before. `previous` is the newest digest in the
 * first tag's history, other than the current one, that was neither demoted nor rolled back. A tag whose
 * head is already the result of a rollback refuses `previous` (running the same command twice must not roll
 * back twice) unless forced; naming the digest is always idempotent. Refusals name the field and value.
 * @example chooseRollback({ repository: "app", to: { kind: "previous" }, force: false }, facts)
 * // => ok({ tags: ["latest", "1.0", "1"], from: { latest: "sha256:b…", … }, to: "sha256:a…", resolvedPrevious: true })
 */
export function chooseRollback(request: RollbackRequest, facts: RollbackFacts): Result<RollbackChoice> {
  const tags = request.tags === undefined ? defaultTags(facts) : ok([...request.tags]);
  if (!tags.ok) return tags;
  const issues: ValidationIssue[] = [];
  const from: Record<string, Digest> = {};
  for (const tag of tags.value) {
    const digest = facts.primaryTags[tag];
    if (digest === undefined)
      issues.push({ field: "--tags", value: tag, message: `is not a tag of ${request.repository}` });
    else if ((facts.histories[tag] ?? []).length === 0)
      issues.push({ field: "--tags", value: tag, message: "was never moved by Portcullis" });
    else from[tag] = digest;
  }
  if (issues.length > 0) return fail(issues);
  const first = tags.value[0];
  if (first === undefined)
    return fail([{ field: "--tags", value: [], message: "must name at least one tag" }]);
  const to =
    request.to.kind === "digest"
      ? ok(request.to.digest)
      : previousOf(first, from[first] as Digest, facts.histories[first] ?? [], request.force);
  if (!to.ok) return to;
  // By default only the tags that held the target before move: rolling 1.1.0 back to 1.0.0 moves `latest`
  // and `1`, while `1.1` stays on the only 1.1 release there is. Forced, every floating tag moves.
  // When none held it, all stay chosen and checkRollbackTarget says why the digest is refused.
  const held = tags.value.filter((tag) => (facts.histories[tag] ?? []).some((e) => e.digest === to.value));
  const chosen = request.tags !== undefined || request.force || held.length === 0 ? tags.value : held;
  return ok({
    repository: request.repository,
    tags: chosen,
    from: Object.fromEntries(chosen.map((tag) => [tag, from[tag] as Digest])),
    to: to.value,
    resolvedPrevious: request.to.kind === "previous",
  });
}

/** The floating tags on the digest of the most recently moved tag Portcullis keeps a history of. */
function defaultTags(facts: RollbackFacts): Result<string[]> {
  let newest: { tag: string; at: string } | undefined;
  for (const [tag, entries] of Object.entries(facts.histories)) {
    const last = entries[entries.length - 1];
    if (last && facts.primaryTags[tag] !== undefined && (!newest || last.at > newest.at))
      newest = { tag, at: last.at };
  }
  if (!newest)
    return fail([{ field: "repository", value: "", message: "has no promoted tags to roll back" }]);
  const current = facts.primaryTags[newest.tag];
  const tags = Object.keys(facts.histories)
    .filter((tag) => facts.primaryTags[tag] === current && isFloatingTag(tag))
    .sort();
  if (tags.length === 0)
    return fail([
      { field: "--tags", value: [], message: `none given, and release ${current} holds no floating tag` },
    ]);
  return ok(tags.includes("latest") ? ["latest", ...tags.filter((t) => t !== "latest")] : tags);
}

function previousOf(
  tag: string,
  current: Digest,
  entries: readonly TagHistoryFact[],
  force: boolean,
): Result<Digest> {
  const last = entries[entries.length - 1];
  if (last?.cause === "rollback" && last.digest === current && !force)
    return fail([
      {
        field: "--to",
        value: "previous",
        message: `${tag} was already rolled back to ${current} at ${last.at}${last.by ? ` by ${last.by}` : ""}; name a digest with --to to go further (or --force)`,
      },
    ]);
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (
      !entry ||
      entry.digest === current ||
      entry.demotedAt !== undefined ||
      entry.rolledBackAt !== undefined
    )
      continue;
    return ok(entry.digest);
  }
  return fail([
    { field: "--to", value: "previous", message: `${tag} has no earlier release that was not demoted` },
  ]);
}

/** Why a rollback target may not be used; `forcible` ones give way to `--force`. */
export interface RollbackRefusal {
  readonly field: string;
  readonly value: unknown;
  readonly message: string;
  readonly forcible: boolean;
}

/** What is known about the digest a rollback goes to. */
export interface RollbackTargetFacts {
  /** Its stored candidate in the primary region, if any. */
  readonly candidate: Candidate | undefined;
  /** Whether it passes the repository's policy as it is now (undefined: not evaluated). */
  readonly passesPolicy: boolean | undefined;
  /** The policy's reasons when it does not pass. */
  readonly policyReasons?: readonly string[];
}

/**
 * Whether the chosen digest may receive the tags: only a release Portcullis promoted, that still passes the
 * policy, and that each tag has pointed at before. With `force`, those refusals are overridden (and reported
 * back as `forced`, for the history and the report); an empty `refusals` means go.
 * @example checkRollbackTarget(choice, { candidate, passesPolicy: true }, false) // => { refusals: [], forced: [] }
 */
export function checkRollbackTarget(
  choice: RollbackChoice,
  histories: Readonly<Record<string, readonly TagHistoryFact[]>>,
  target: RollbackTargetFacts,
  force: boolean,
): { readonly refusals: readonly RollbackRefusal[]; readonly forced: readonly RollbackRefusal[] } {
  const all: RollbackRefusal[] = [];
  const value = choice.to;
  if (target.candidate === undefined)
    all.push({
      field: "--to",
      value,
      message: `is not a release Portcullis knows in ${choice.repository}`,
      forcible: true,
    });
  else if (target.candidate.phase !== "promoted")
    all.push({
      field: "--to",
      value,
      message: `was never promoted (it is ${describePhase(target.candidate)})`,
      forcible: true,
    });
  if (target.passesPolicy === false)
    all.push({
      field: "--to",
      value,
      message: `no longer passes the policy${target.policyReasons?.length ? `: ${target.policyReasons.join("; ")}` : ""}`,
      forcible: true,
    });
  for (const tag of choice.tags)
    if (!(histories[tag] ?? []).some((entry) => entry.digest === choice.to))
      all.push({ field: "--tags", value: tag, message: `never pointed at ${choice.to}`, forcible: true });
  const refusals = all.filter((refusal) => !force || !refusal.forcible);
  return { refusals, forced: force ? all.filter((refusal) => refusal.forcible) : [] };
}

function describePhase(candidate: Candidate): string {
  if (candidate.phase === "decided") return `decided: ${candidate.decision.outcome}`;
  return candidate.phase;
}
