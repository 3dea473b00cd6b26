import { allPermissions } from "../../lib/access.js";
import { systemCtx } from "../../lib/context.js";
import { defineSchedule } from "../../lib/jobs.js";
import { workspaces } from "../workspaces/schema.js";
import { remindDueTasks } from "./tasks.js";

/** Every 5 minutes: an in-app reminder for each task that has come due. */
defineSchedule("task_reminders", "*/5 * * * *", async (database, services) => {
  const all = await database.db.select({ id: workspaces.id }).from(workspaces);
  for (const ws of all) await remindDueTasks(systemCtx(database, services, ws.id, allPermissions()));
});
