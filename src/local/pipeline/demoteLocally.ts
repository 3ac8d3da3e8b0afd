import { join } from "node:path";
import { inspectorFindingEvent } from "../ecr/ecrEvents.ts";
import {
  joinOperation,
  type LocalOperation,
  type LocalOperationOptions,
  operatorWiring,
  readBackEverywhere,
  statusAndHistory,
  versionTag,
} from "./localOperator.ts";

/** The demote scenario's folder (under the scenario's) of the findings served once the new CRITICAL arrives. */
export const DEMOTE_FINDINGS = "after";

/** The finding the demote scenario's `after/` folder adds to linux/amd64 (as examples/findings/fail has it). */
const FINDING = {
  id: "CVE-2023-38545",
  severity: "CRITICAL",
  status: "ACTIVE",
  package: "curl",
};

/**
 * A new CRITICAL on the promoted second release (`onNewFinding: demote`): its scan results become those of
 * the scenario's `after/` folder and Inspector's `Inspector2 Finding` event for its linux/amd64 image goes on
 * the bus, to the reconcile handler the stacks route it to. Its tags must leave the image in all three regions:
 * `latest` back on the first release everywhere, read back from each registry (its exact version tag stays:
 * a registry cannot untag without deleting the image). Shows status and the history of `latest`.
 * @example const { problems, text } = await demoteLocally({ services, config, scenario, account, first, second })
 */
export async function demoteLocally(options: LocalOperationOptions): Promise<LocalOperation> {
  const { first, second, config, account } = options;
  const wiring = operatorWiring(options, join(options.scenario.folder, DEMOTE_FINDINGS));
  const { wired, repository } = wiring;
  try {
    const amd64 = second.image.platforms.find((p) => p.platform === "linux/amd64");
    if (!amd64)
      return { problems: ["the second release has no linux/amd64 image to find a CVE in"], text: "" };
    const origin = { account, region: config.primaryRegion, time: wired.pipeline.parts.clock.now() };
    wired.pipeline.deliver([inspectorFindingEvent(origin, { repository, digest: amd64.digest, ...FINDING })]);
    await wired.pipeline.settle();
    const text = `\nInspector2 Finding: ${FINDING.severity} ${FINDING.id} on ${repository}@${amd64.digest.slice(0, 19)}… (linux/amd64 of ${versionTag(second)})`;
    const problems = wired.pipeline.parts.bus.deadLetters.map(
      (letter) => `${letter.rule} gave up on ${String(letter.event["detail-type"])}: ${String(letter.error)}`,
    );
    return joinOperation(
      { problems, text },
      await readBackEverywhere(wiring, options, {
        latest: first.image.digest,
        [versionTag(first)]: first.image.digest,
        [versionTag(second)]: second.image.digest,
      }),
      await statusAndHistory(wiring, "latest"),
    );
  } finally {
    wired.close();
  }
}
