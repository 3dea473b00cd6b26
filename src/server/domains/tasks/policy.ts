import { sql, type SQL } from "drizzle-orm";
import { defineObject, visibleOwnerCondition } from "../../lib/access.js";
import type { Ctx } from "../../lib/context.js";
import { tasks } from "./schema.js";

/** Tasks are core objects: every working role reads, creates and updates the ones it may see. */
export const taskObject = defineObject("task", "core", ["read", "create", "update", "delete"]);

/**
 * A task is visible to whoever may see its assignee's or its creator's records
 * (role visibility): a rep sees the tasks assigned to them and those they
 * handed to someone else; a manager their department's; admins all.
 */
export function taskVisible(ctx: Ctx): SQL {
  if (ctx.visibility === "all") return sql`true`;
  return sql`(${visibleOwnerCondition(ctx, tasks.assigneeId)} or (${tasks.createdBy} is not null and ${visibleOwnerCondition(ctx, tasks.createdBy)}))`;
}
