import { eq } from "drizzle-orm";
import { requireAccess } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { defineListing, type ListQuery, type Page } from "../../lib/listing.js";
import { users } from "../identity/schema.js";
import { events } from "./schema.js";

const listing = defineListing({
  id: events.id,
  numericId: true,
  defaultSort: "-occurredAt",
  fields: {
    occurredAt: { column: events.occurredAt, type: "date", sort: true, filter: true },
    actorUserId: { column: events.actorUserId, type: "uuid", filter: true },
    actorType: { column: events.actorType, type: "enum", filter: true, values: ["user", "api_token", "system"] },
    action: { column: events.action, type: "text", filter: true },
    objectType: { column: events.objectType, type: "text", filter: true },
    objectId: { column: events.objectId, type: "text", filter: true },
    requestId: { column: events.requestId, type: "text", filter: true },
  },
});

export type AuditEventView = typeof events.$inferSelect & { actorName: string | null };

/** The workspace's event log, newest first, for administrators. */
export async function findAuditEvents(ctx: Ctx, query: ListQuery): Promise<Page<AuditEventView>> {
  requireAccess(ctx, "audit:read");
  const built = listing.build(query);
  return readTenant(ctx, async (tx) => {
    const rows = await tx
      .select({ event: events, actorName: users.name })
      .from(events)
      .leftJoin(users, eq(users.id, events.actorUserId))
      .where(built.where)
      .orderBy(...built.orderBy)
      .limit(built.fetch);
    return built.page(rows.map((r) => ({ ...r.event, actorName: r.actorName })));
  });
}
