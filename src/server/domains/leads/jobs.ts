import { allPermissions } from "../../lib/access.js";
import { systemCtx } from "../../lib/context.js";
import { defineSchedule } from "../../lib/jobs.js";
import { workspaces } from "../workspaces/schema.js";
import { applyLeadPoolRules } from "./pool.js";
import { syncLeadSearch } from "./search-index.js";

/** Every hour: reclaim leads without follow-up and warn their owners ahead of it, workspace by workspace. */
defineSchedule("lead_pool_rules", "13 * * * *", async (database, services) => {
  const all = await database.db.select({ id: workspaces.id }).from(workspaces);
  for (const ws of all) await applyLeadPoolRules(systemCtx(database, services, ws.id, allPermissions()));
});

/**
 * Every 15 minutes: documents for leads the search index lacks (the backfill after upgrading to searchable leads,
 * leads written by SQL outside the services) and none for trashed ones (see syncLeadSearch). Cheap when all is in step.
 */
defineSchedule("lead_search_sync", "*/15 * * * *", async (database, services) => {
  const all = await database.db.select({ id: workspaces.id }).from(workspaces);
  for (const ws of all) await syncLeadSearch(systemCtx(database, services, ws.id, allPermissions()));
});
