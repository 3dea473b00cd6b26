import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { defineObject, visibleOwnerCondition } from "../../lib/access.js";
import type { Ctx } from "../../lib/context.js";
import { salesTargets } from "./schema.js";

/**
 * Targets are sales configuration: everyone in sales reads the targets they
 * may see (with their progress); managers and admins set and break them down
 * (`manage` is not among the actions a sales rep derives).
 */
export const targetObject = defineObject("target", "sales", ["read", "manage"]);

type Ref = AnyPgColumn | SQL;

/**
 * Which targets the actor sees, by whom they are for: a rep (own) their
 * personal targets; team visibility adds the targets of their teams and
 * team-mates; a manager (department) those of people, departments and teams
 * in their department and below it; `all` every target, the company's too.
 * Also used on a target about to be written: a manager sets targets only
 * inside their department.
 */
export function targetVisible(ctx: Ctx, scope: Ref = salesTargets.scope, scopeId: Ref = salesTargets.scopeId): SQL {
  if (ctx.visibility === "all") return sql`true`;
  const people = sql`(${scope} = 'user' and ${visibleOwnerCondition(ctx, scopeId)})`;
  switch (ctx.visibility) {
    case "own":
      return people;
    case "team":
      return sql`(${people} or (${scope} = 'team' and ${scopeId} in (select team_id from team_members where user_id = ${ctx.userId})))`;
    case "department":
      if (!ctx.departmentId) return people;
      return sql`(${people}
        or (${scope} = 'department' and ${scopeId} in (
              select id from departments where path like (select path from departments where id = ${ctx.departmentId}) || '%'))
        or (${scope} = 'team' and exists (
              select 1 from team_members tm where tm.team_id = ${scopeId} and ${visibleOwnerCondition(ctx, sql`tm.user_id`)})))`;
  }
}
