import { allPermissions } from "../../lib/access.js";
import { systemCtx } from "../../lib/context.js";
import { defineSchedule } from "../../lib/jobs.js";
import { workspaces } from "../workspaces/schema.js";
import { remindOverdueInstalments } from "./receivables.js";

/** Every day at 09:00: owners are told of instalments that became overdue. */
defineSchedule("payment_overdue_reminders", "0 9 * * *", async (database, services) => {
  const all = await database.db.select({ id: workspaces.id }).from(workspaces);
  for (const ws of all) await remindOverdueInstalments(systemCtx(database, services, ws.id, allPermissions()));
});
