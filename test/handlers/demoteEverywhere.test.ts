import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TagMoveIncompleteError } from "../../src/handlers/errors.ts";
import type { HandlerContext } from "../../src/handlers/HandlerContext.ts";
import { demoteCandidate } from "../../src/handlers/reconcile/demoteCandidate.ts";
import { readStatus } from "../../src/operator/readStatus.ts";
import { renderStatus } from "../../src/operator/statusView.ts";
import {
  PRIMARY,
  REPLICA,
  startRollbackServices,
  stopRollbackServices,
  type World,
  world,
} from "./support/rollbackWorld.ts";

beforeAll(startRollbackServices);
afterAll(stopRollbackServices);

/** The reconcile handler's context over the rollback world's ports (the demotion uses no other). */
const reconcileContext = (w: World): HandlerContext => ({
  ...w.ctx,
  events: { publish: async () => {} },
  handler: "reconcile",
});

describe("demoteCandidate (onNewFinding: demote) in every region", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it("moves the floating tags back to the previous passing release in the primary and the replica, read back", async () => {
    const tags = await demoteCandidate(reconcileContext(w), w.b);
    const a = w.a.key.digest;
    const b = w.b.key.digest;
    expect(tags).toEqual([
      { tag: "1.1.0", digest: null },
      { tag: "latest", digest: a },
      { tag: "1", digest: a },
      { tag: "1.1", digest: null },
    ]);
    for (const region of [PRIMARY, REPLICA]) {
      expect(await w.tagIn(region, "latest")).toBe(a);
      expect(await w.tagIn(region, "1")).toBe(a);
      // No earlier 1.1 release: left as it was (a registry cannot untag without deleting the image).
      expect(await w.tagIn(region, "1.1")).toBe(b);
    }
    const history = await w.store.getTagHistory({ region: PRIMARY, repository: w.repository }, "latest");
    expect(history.entries.find((e) => e.digest === b)?.demotedAt).toBe(w.clock.now().toISOString());
    const status = await readStatus(w.ctx, { repository: w.repository }, 10);
    expect(status.ok && status.value[0]).toMatchObject({
      digest: b,
      demotedAt: w.clock.now().toISOString(),
      // The history holds no passing digest for 1.1 and 1.1.0 any more (the registry still does: no untag).
      tagsNow: [],
    });
    expect(status.ok && renderStatus(status.value)).toContain("promoted, then DEMOTED");
  });

  it("fails naming a region that is down after moving the others, and a retry finishes it", async () => {
    w.directory.down.add(REPLICA);
    const failed = await demoteCandidate(reconcileContext(w), w.b).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TagMoveIncompleteError);
    expect((failed as TagMoveIncompleteError).failures.map((f) => f.region)).toEqual([REPLICA]);
    expect((failed as Error).message).toMatch(
      /demoting .*: not confirmed in eu-west-1 \(.*eu-west-1 is down/,
    );
    expect(await w.tagIn(PRIMARY, "latest")).toBe(w.a.key.digest);
    expect(await w.tagIn(REPLICA, "latest")).toBe(w.b.key.digest);

    w.directory.down.delete(REPLICA);
    await demoteCandidate(reconcileContext(w), w.b);
    for (const region of [PRIMARY, REPLICA]) expect(await w.tagIn(region, "latest")).toBe(w.a.key.digest);
  });
});
