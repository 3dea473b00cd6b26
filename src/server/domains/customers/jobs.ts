import { workspaces } from "../workspaces/schema.js";
import { allPermissions } from "../../lib/access.js";
import { systemCtx } from "../../lib/context.js";
import { defineSchedule } from "../../lib/jobs.js";
import { applyPoolRules } from "./pool.js";

/** Every hour: reclaim customers past their pool's limits and warn owners ahead of it, workspace by workspace. */
defineSchedule("pool_rules", "7 * * * *", async (database, services) => {
  const all = await database.db.select({ id: workspaces.id }).from(workspaces);
  for (const ws of all) await applyPoolRules(systemCtx(database, services, ws.id, allPermissions()));
});
