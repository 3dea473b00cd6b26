import { z } from "zod";
import { ctxOf, errors, IdParams, type App } from "../../lib/http.js";
import { markRead, myNotifications, NotificationSchema } from "./notifications.js";

export function notificationRoutes(app: App): void {
  app.get(
    "/api/v1/notifications",
    {
      schema: {
        tags: ["notifications"],
        summary: "My latest notifications (100) and the unread count",
        querystring: z.strictObject({ unread: z.enum(["true", "false"]).optional() }),
        response: { 200: z.object({ unread: z.number().int(), items: z.array(NotificationSchema) }), ...errors },
      },
    },
    async (req) => myNotifications(ctxOf(req), req.query.unread === "true"),
  );
  app.post(
    "/api/v1/notifications/:id/read",
    { schema: { tags: ["notifications"], summary: "Mark one of my notifications read", params: IdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await markRead(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    "/api/v1/notifications/read-all",
    { schema: { tags: ["notifications"], summary: "Mark all my notifications read", response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await markRead(ctxOf(req), "all");
      return reply.code(204).send(null);
    },
  );
}
