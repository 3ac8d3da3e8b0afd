import type { FailureReason } from "../../policy/Verdict.ts";
import { checkProvenance } from "../../provenance/checkProvenance.ts";
import { readProvenance } from "../../provenance/readProvenance.ts";
import type { Candidate } from "../../release/index.ts";
import type { HandlerContext } from "../HandlerContext.ts";

/**
 * The policy's provenance requirement applied to a candidate: when `provenance.required`, reads the build
 * provenance BuildKit stored in the index and returns a failure reason per platform whose provenance is missing
 * or names another repository, commit or builder. None when the policy does not require it.
 * @example const reasons = await provenanceReasons(ctx, state)
 */
export async function provenanceReasons(
  ctx: Pick<HandlerContext, "registry" | "settings">,
  state: Candidate,
): Promise<FailureReason[]> {
  const requirement = ctx.settings.policy.provenance;
  if (requirement?.required !== true) return [];
  const { region, repository, digest } = state.key;
  const client = ctx.registry.clientFor(region);
  const found = await readProvenance(client, repository, await client.getManifest(repository, digest));
  const byPlatform = Object.fromEntries(state.children.map((child) => [child.platform, found[child.digest]]));
  const expected = {
    sourceRepository: requirement.sourceRepository,
    revision: state.git.revision,
    ...(requirement.builderPrefix === undefined ? {} : { builderPrefix: requirement.builderPrefix }),
  };
  return checkProvenance(byPlatform, expected).map((problem) => ({
    kind: "provenance-mismatch",
    ...problem,
  }));
}
