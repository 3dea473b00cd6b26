import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { can, defineObject, visibleOwnerCondition } from "../../lib/access.js";
import type { Ctx } from "../../lib/context.js";
import { leads } from "./schema.js";

/**
 * Leads are sales objects. From the area, the system roles get: owner and
 * admin everything; manager everything (department visibility); sales
 * read, create, update, export and claim (own visibility) — not delete or
 * manage; read-only read; service and marketing nothing.
 * `manage`: pool settings, assignment rules, assigning others' leads, and
 * seeing pool leads' phone and e-mail unmasked.
 */
export const leadObject = defineObject("lead", "sales", ["read", "create", "update", "delete", "export", "claim", "manage"]);

/**
 * A lead is visible to whoever may see its owner's records (role
 * visibility), and to everyone while it is in the lead pool (no owner).
 * `ownerId`: where the owner is read from (the search index carries a copy).
 */
export function leadVisible(ctx: Ctx, ownerId: AnyPgColumn | SQL = leads.ownerId): SQL {
  if (ctx.visibility === "all") return sql`true`;
  return sql`(${ownerId} is null or ${visibleOwnerCondition(ctx, ownerId)})`;
}

/** Pool leads' phone and e-mail are masked until claimed, unless one may manage leads. */
export const maskInLeadPool = (ctx: Ctx, ownerId: string | null) => ownerId === null && !can(ctx, "lead:manage");
