import { workspaces } from "../workspaces/schema.js";
import { allPermissions } from "../../lib/access.js";
import { inTenant, systemCtx } from "../../lib/context.js";
import { defineJob, defineSchedule } from "../../lib/jobs.js";
import { regrade } from "./grading.js";
import { applyPoolRules } from "./pool.js";

/** Every hour: reclaim customers past their pool's limits and warn owners ahead of it, workspace by workspace. */
defineSchedule("pool_rules", "7 * * * *", async (database, services) => {
  const all = await database.db.select({ id: workspaces.id }).from(workspaces);
  for (const ws of all) await applyPoolRules(systemCtx(database, services, ws.id, allPermissions()));
});

export const REGRADE_JOB = "customer_regrade";

/** After the grade rules change: every customer without a manual grade, in batches, resumable. */
defineJob(REGRADE_JOB, async ({ ctx, checkpoint }, tools) => {
  let afterId = (checkpoint?.afterId as string | undefined) ?? undefined;
  let changed = Number(checkpoint?.changed ?? 0);
  let seen = Number(checkpoint?.seen ?? 0);
  for (;;) {
    const batch = await inTenant(ctx, (tx) => regrade(tx, ctx, { afterId, batch: 2000 }));
    changed += batch.changed;
    seen += batch.seen;
    if (!batch.lastId) break;
    afterId = batch.lastId;
    await tools.checkpoint({ afterId, changed, seen });
    await tools.progress(seen);
  }
  return { changed, seen };
});
