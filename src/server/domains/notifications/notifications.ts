import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { notFound, unauthenticated } from "../../lib/errors.js";
import { DateTime } from "../../lib/http.js";
import { translate } from "../../lib/i18n.js";
import { notifications } from "./schema.js";

/**
 * In-app notifications. Domains call notify() inside their own transaction,
 * so a notification exists exactly when the change that caused it does.
 */
export async function notify(
  tx: Tx,
  tenantId: string,
  input: { userId: string; kind: string; objectType?: string; objectId?: string; data?: Record<string, string | number> },
): Promise<void> {
  await tx.insert(notifications).values({ tenantId, userId: input.userId, kind: input.kind, objectType: input.objectType ?? null, objectId: input.objectId ?? null, data: input.data ?? {} });
}

export const NotificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    message: z.string(),
    objectType: z.string().nullable(),
    objectId: z.uuid().nullable(),
    data: z.record(z.string(), z.union([z.string(), z.number()])),
    readAt: DateTime.nullable(),
    createdAt: DateTime,
  })
  .meta({ id: "Notification" });

function me(ctx: Ctx): string {
  if (!ctx.userId) throw unauthenticated();
  return ctx.userId;
}

export async function myNotifications(ctx: Ctx, unreadOnly: boolean) {
  const userId = me(ctx);
  return readTenant(ctx, async (tx) => {
    const rows = await tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), unreadOnly ? isNull(notifications.readAt) : undefined))
      .orderBy(desc(notifications.createdAt))
      .limit(100);
    const [{ unread } = { unread: 0 }] = await tx
      .select({ unread: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
    return {
      unread,
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        message: translate(ctx.locale, `notifications.${r.kind}`, r.data),
        objectType: r.objectType,
        objectId: r.objectId,
        data: r.data,
        readAt: r.readAt,
        createdAt: r.createdAt,
      })),
    };
  });
}

export async function markRead(ctx: Ctx, id: string | "all"): Promise<void> {
  const userId = me(ctx);
  await inTenant(ctx, async (tx) => {
    const rows = await tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), id === "all" ? undefined : eq(notifications.id, id)))
      .returning({ id: notifications.id });
    if (id !== "all" && rows.length === 0) {
      const [exists] = await tx.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
      if (!exists) throw notFound("notification");
    }
  });
}
