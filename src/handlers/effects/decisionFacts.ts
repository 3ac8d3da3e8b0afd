import type { AttestedException, PortcullisDecisionFacts } from "../../attest/VerificationSummary.ts";
import { emptySeverityCounts } from "../../core/index.ts";
// From its file, not the barrel: the barrel reaches parsePolicy and would put the YAML parser in init.
import { verdictSummarySchema } from "../../policy/verdictSummarySchema.ts";
import type { DecidedCandidate, PromotedCandidate } from "../../release/index.ts";
import { decisionReasons } from "./describeDecision.ts";

/**
 * What a signed verification summary says about a decision: per-platform scan status and counts (from the
 * stored verdict, else from the candidate's scans), the allowlist and unsupported-image exceptions it relied
 * on with their expiry,
 * the tags promoted, the failure reasons and the source commit.
 * @example const facts = decisionFacts(state, ["1.2.3", "latest"], settings)
 */
export function decisionFacts(
  state: DecidedCandidate | PromotedCandidate,
  promotedTags: readonly string[],
  settings: Parameters<typeof decisionReasons>[1],
): PortcullisDecisionFacts {
  const verdict = verdictSummarySchema.safeParse(state.decision.reasons);
  const platforms = verdict.success
    ? verdict.data.platforms.map(({ platform, digest, status, counts }) => ({
        platform,
        digest,
        status,
        counts,
      }))
    : state.children.map((child) => ({
        platform: child.platform,
        digest: child.digest,
        status: state.scans[child.digest]?.status ?? ("MISSING" as const),
        counts: state.scans[child.digest]?.counts ?? emptySeverityCounts(),
      }));
  const exceptions: AttestedException[] = verdict.success
    ? [
        ...verdict.data.allowlisted.items.map((a) => ({
          kind: "allowlist" as const,
          id: a.id,
          platforms: a.platforms,
          expiresAt: a.expiresAt,
          owner: a.owner,
          reason: a.reason,
          entry: a.entry,
        })),
        ...verdict.data.warnings.items.flatMap(({ kind, id, exception }) =>
          kind === "unsupported-image-excepted" && exception
            ? [
                {
                  kind: "unsupported-image" as const,
                  id: exception.platform,
                  platforms: [exception.platform],
                  expiresAt: exception.expiresAt,
                  owner: exception.owner,
                  reason: exception.reason,
                  entry: id,
                },
              ]
            : [],
        ),
      ]
    : [];
  const { source, revision, ref } = state.git;
  return {
    outcome: state.decision.outcome,
    region: state.key.region,
    platforms,
    exceptions,
    promotedTags: [...promotedTags],
    reasons: decisionReasons(state, settings),
    source: {
      ...(source === undefined ? {} : { repository: source }),
      ...(revision === undefined ? {} : { revision }),
      ...(ref === undefined ? {} : { ref }),
    },
  };
}
