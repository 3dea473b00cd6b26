import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { defineObject, visibleOwnerCondition } from "../../lib/access.js";
import type { Ctx } from "../../lib/context.js";
import { customers } from "./schema.js";

/** `view_bank`: see bank accounts unmasked; `restore`: bring records back from the trash. */
export const customerObject = defineObject("customer", "core", ["read", "create", "update", "delete", "export", "view_bank", "restore"]);
export const contactObject = defineObject("contact", "core", ["read", "create", "update", "delete", "export"]);

/**
 * A customer is visible to whoever may see its owner's records (role
 * visibility), to its collaborators, and to everyone while it is in the
 * public pool (no owner).
 */
type Ref = AnyPgColumn | SQL;

export function customerVisible(ctx: Ctx, table: { ownerId: Ref; id: Ref } = customers): SQL {
  if (ctx.visibility === "all") return sql`true`;
  return sql`(${table.ownerId} is null or ${visibleOwnerCondition(ctx, table.ownerId)} or exists (
    select 1 from customer_collaborators cc where cc.customer_id = ${table.id} and cc.user_id = ${ctx.userId}))`;
}

/** A contact is visible when its owner is, or when it belongs to a visible customer. */
export function contactVisible(ctx: Ctx, ownerId: Ref, contactId: Ref): SQL {
  if (ctx.visibility === "all") return sql`true`;
  const alias = { ownerId: sql`c.owner_id`, id: sql`c.id` };
  return sql`(${visibleOwnerCondition(ctx, ownerId)} or exists (
    select 1 from customer_contacts l join customers c on c.tenant_id = l.tenant_id and c.id = l.customer_id
    where l.contact_id = ${contactId} and c.deleted_at is null and ${customerVisible(ctx, alias)}))`;
}
