import type { Digest } from "../core/digest.ts";
import { fail, ok, type Result } from "../core/result.ts";
import type { Candidate } from "../release/index.ts";
import type { TagHistoryEntry } from "../store/index.ts";
import type { OperatorPorts } from "./OperatorPorts.ts";
import { type CandidateStatus, candidateStatus } from "./statusView.ts";

/** Which candidates `status` shows: every repository, one, the release a tag points at, or one digest. */
export interface StatusTarget {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

/**
 * The status rows asked for, newest first, read from the state table (and, for `REPOSITORY:TAG`, the primary
 * registry), each with the tags its repository's tag histories say point at it now, and any demotion or rollback
 * off it. An unconfigured repository, a tag that is not there or a digest Portcullis does not know is an
 * issue naming the argument and its value.
 * @example await readStatus(ports, { repository: "team/app", tag: "latest" }, 10)
 */
export async function readStatus(
  ports: OperatorPorts,
  target: StatusTarget | undefined,
  limit: number,
): Promise<Result<CandidateStatus[]>> {
  const primary = ports.settings.regions[0] as string;
  const configured = ports.settings.repositories;
  if (target && !configured.includes(target.repository))
    return fail([
      {
        field: "REPOSITORY",
        value: target.repository,
        message: `is not configured (${configured.join(", ")})`,
      },
    ]);
  let candidates: Candidate[];
  if (target?.digest !== undefined || target?.tag !== undefined) {
    let digest = target.digest;
    if (digest === undefined)
      try {
        digest = (
          await ports.registry.clientFor(primary).headManifest(target.repository, target.tag as string)
        )?.digest;
      } catch (error) {
        return fail([
          {
            field: "region",
            value: primary,
            message: `did not answer for ${target.tag}: ${(error as Error).message}`,
          },
        ]);
      }
    const found =
      digest && (await ports.store.getCandidate({ region: primary, repository: target.repository, digest }));
    if (!found)
      return fail([
        target.digest
          ? { field: "@DIGEST", value: target.digest, message: `is not a candidate in ${target.repository}` }
          : digest
            ? {
                field: ":TAG",
                value: target.tag,
                message: `points at ${digest}, which Portcullis did not gate`,
              }
            : {
                field: ":TAG",
                value: target.tag,
                message: `is not a tag of ${target.repository} in ${primary}`,
              },
      ]);
    candidates = [found];
  } else {
    const repositories = target ? [target.repository] : configured;
    const lists = await Promise.all(
      repositories.map((repository) =>
        ports.catalog.recentCandidates({ region: primary, repository, limit }),
      ),
    );
    candidates = lists.flat().sort((a, b) => b.registeredAt.localeCompare(a.registeredAt));
  }
  const now = ports.clock.now();
  const histories = new Map<string, Map<string, readonly TagHistoryEntry[]>>();
  for (const repository of new Set(candidates.map((c) => c.key.repository))) {
    const found = await ports.catalog.tagHistories({ region: primary, repository });
    histories.set(repository, new Map([...found].map(([tag, history]) => [tag, history.entries])));
  }
  return ok(candidates.map((c) => candidateStatus(c, now, ports.settings, histories.get(c.key.repository))));
}
