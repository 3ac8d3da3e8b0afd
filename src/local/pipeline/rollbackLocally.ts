import { formatIssues } from "../../core/formatIssue.ts";
import {
  type RollbackOrder,
  RollbackRefusedError,
  rollbackRelease,
} from "../../handlers/rollback/rollbackRelease.ts";
import { renderRollback } from "../../operator/renderRollback.ts";
import {
  joinOperation,
  type LocalOperation,
  type LocalOperationOptions,
  operatorWiring,
  readBackEverywhere,
  statusAndHistory,
  versionTag,
} from "./localOperator.ts";

const REASON = "local scenario: v1.1.0 misbehaves, latest goes back to v1.0.0";

/**
 * `portcullis rollback REPOSITORY --to previous --tags latest` against the local services, through the same
 * rollbackRelease the CLI runs (the notification goes to the local topic and the notify handler), then every
 * region read back: `latest` must be on the first release in all of them, each release's own version tag on
 * itself. Shows `portcullis status` and `portcullis history REPOSITORY latest` as the CLI renders them.
 * @example const { problems, text } = await rollbackLocally({ services, config, scenario, account, first, second })
 */
export async function rollbackLocally(options: LocalOperationOptions): Promise<LocalOperation> {
  const { first, second } = options;
  const wiring = operatorWiring(options);
  const { repository } = wiring;
  try {
    const order: RollbackOrder = {
      repository,
      to: { kind: "previous" },
      tags: ["latest"],
      reason: REASON,
      by: "portcullis local",
      force: false,
    };
    const text = [`\n$ portcullis rollback ${repository} --to previous --tags latest --reason "${REASON}"`];
    const problems: string[] = [];
    try {
      const outcome = await rollbackRelease(wiring.ctx, order);
      text.push(renderRollback(outcome, REASON).trimEnd());
      if (outcome.to !== first.image.digest)
        problems.push(`rollback went to ${outcome.to}, not to the first release ${first.image.digest}`);
    } catch (error) {
      if (!(error instanceof RollbackRefusedError)) throw error;
      problems.push(`the rollback was refused: ${formatIssues(error.issues)}`);
    }
    await wiring.wired.pipeline.settle();
    const run = wiring.wired.destinations.files?.runs
      .filter((r) => r.render.external_id === first.image.digest)
      .at(-1);
    if (run) text.push("", `Check run of the rolled-back-to commit (${run.file}): ${run.render.title}`);
    return joinOperation(
      { problems, text: text.join("\n") },
      await readBackEverywhere(wiring, options, {
        latest: first.image.digest,
        [versionTag(first)]: first.image.digest,
        [versionTag(second)]: second.image.digest,
      }),
      await statusAndHistory(wiring, "latest"),
    );
  } finally {
    wiring.wired.close();
  }
}
