import { z } from "zod";
import { ctxOf, DateTime, errors, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import { findAuditEvents } from "./audit.js";

export const AuditEventSchema = z
  .object({
    id: z.number().int(),
    occurredAt: DateTime,
    actorUserId: z.uuid().nullable(),
    actorName: z.string().nullable(),
    actorType: z.enum(["user", "api_token", "system"]),
    action: z.string(),
    objectType: z.string(),
    objectId: z.string(),
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
    data: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .meta({ id: "AuditEvent" });

export function auditRoutes(app: App): void {
  app.get(
    "/api/v1/audit-events",
    {
      schema: {
        tags: ["audit"],
        summary: "The audit trail. Filters: occurredAt (gte/lte), actorUserId, actorType, action (eq/contains), objectType, objectId, requestId",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(AuditEventSchema), ...errors },
      },
    },
    async (req) => {
      const page = await findAuditEvents(ctxOf(req), req.query);
      return { ...page, items: page.items.map(({ tenantId: _t, ...e }) => e) };
    },
  );
}
