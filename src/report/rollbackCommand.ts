import { isFloatingTag } from "../tags/isFloatingTag.ts";

/**
 * The one command that undoes a promotion: moves the floating tags it took (`latest`, `main`, `1.2`, `1`)
 * back to the release they held before, in every region. Shown in the check run and the Slack message of a
 * promotion. Undefined when the promotion moved no floating tag (nothing to roll back). Tags and repository
 * names are OCI-safe (no quoting needed); the reason is left for the operator to fill in. With `to` (a digest),
 * the command that finishes a rollback some region did not confirm.
 * @example rollbackCommand("team/app", ["1.2.3", "1.2", "latest"]) // => 'npx portcullis rollback team/app --to previous --tags 1.2,latest --reason "…"'
 */
export function rollbackCommand(
  repository: string,
  tags: readonly string[],
  to = "previous",
): string | undefined {
  const floating = tags.filter(isFloatingTag);
  if (floating.length === 0) return undefined;
  return `npx portcullis rollback ${repository} --to ${to} --tags ${floating.join(",")} --reason "…"`;
}
