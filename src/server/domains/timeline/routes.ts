import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ctxOf, DateTime, errors, IdParams, setEtag, VersionField, type App } from "../../lib/http.js";
import { expectedVersion } from "../../lib/versioning.js";
import { orSurvivor } from "../customers/merged.js";
import { createActivity, deleteActivity, findTimeline, getActivity, updateActivity } from "./activities.js";
import { readAttachment, uploadAttachment } from "./attachments.js";
import { ActivityCreateSchema, activityFields as fields } from "./contracts.js";
import { ACTIVITY_KINDS } from "./schema.js";

const AttachmentSchema = z.object({ id: z.uuid(), filename: z.string(), mime: z.string(), size: z.number().int() }).meta({ id: "Attachment" });

const ActivitySchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid().nullable(),
    contactId: z.uuid().nullable(),
    kind: z.enum(ACTIVITY_KINDS),
    channel: z.string(),
    occurredAt: DateTime,
    durationMinutes: z.number().int().nullable(),
    place: z.string(),
    subject: z.string(),
    summary: z.string(),
    participantUserIds: z.array(z.uuid()),
    participantContactIds: z.array(z.uuid()),
    mentionUserIds: z.array(z.uuid()),
    costAmount: z.string().nullable(),
    discountAmount: z.string().nullable(),
    gift: z.string(),
    currency: z.string(),
    nextFollowUpAt: DateTime.nullable(),
    sourceType: z.string().nullable(),
    sourceId: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    attachments: z.array(AttachmentSchema),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "Activity" });


const TimelineQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(30), cursor: z.string().max(200).optional() });
const TimelineSchema = z.object({
  items: z.array(ActivitySchema),
  nextCursor: z.string().nullable(),
  totals: z.object({ entries: z.number().int(), cost: z.string(), discount: z.string() }),
});

export function timelineRoutes(app: App, uploadLimit: number): void {
  app.get(
    "/api/v1/customers/:id/timeline",
    { schema: { tags: ["timeline"], summary: "A customer's timeline (its own and its contacts' entries), newest first, with cost totals. A merged-away id answers 308 to the survivor's timeline", params: IdParams, querystring: TimelineQuery, response: { 200: TimelineSchema, ...errors } } },
    async (req, reply) => {
      const ctx = ctxOf(req);
      return (await orSurvivor(ctx, req, reply, "customer", () => findTimeline(ctx, { customerId: req.params.id }, req.query))) ?? reply;
    },
  );
  app.get(
    "/api/v1/contacts/:id/timeline",
    { schema: { tags: ["timeline"], summary: "A contact's timeline, newest first. A merged-away id answers 308 to the survivor's timeline", params: IdParams, querystring: TimelineQuery, response: { 200: TimelineSchema, ...errors } } },
    async (req, reply) => {
      const ctx = ctxOf(req);
      return (await orSurvivor(ctx, req, reply, "contact", () => findTimeline(ctx, { contactId: req.params.id }, req.query))) ?? reply;
    },
  );
  app.post(
    "/api/v1/activities",
    { schema: { tags: ["timeline"], summary: "Log a call, visit, meeting, e-mail, message or note", body: ActivityCreateSchema, response: { 201: ActivitySchema, ...errors } } },
    async (req, reply) => {
      const activity = await createActivity(ctxOf(req), req.body);
      setEtag(reply, activity.version);
      return reply.code(201).send(activity);
    },
  );
  app.get("/api/v1/activities/:id", { schema: { tags: ["timeline"], summary: "One timeline entry", params: IdParams, response: { 200: ActivitySchema, ...errors } } }, async (req, reply) => {
    const activity = await getActivity(ctxOf(req), req.params.id);
    setEtag(reply, activity.version);
    return activity;
  });
  app.patch(
    "/api/v1/activities/:id",
    {
      schema: {
        tags: ["timeline"],
        summary: "Change a timeline entry (If-Match or version required)",
        params: IdParams,
        body: z.strictObject({ ...VersionField, ...fields, kind: fields.kind.optional(), occurredAt: DateTime.optional() }),
        response: { 200: ActivitySchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const activity = await updateActivity(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, activity.version);
      return activity;
    },
  );
  app.delete("/api/v1/activities/:id", { schema: { tags: ["timeline"], summary: "Delete a timeline entry", params: IdParams, response: { 204: z.null(), ...errors } } }, async (req, reply) => {
    await deleteActivity(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  // Uploads are raw bytes (Content-Type: application/octet-stream), only on this route.
  void app.register(async (plugin) => {
    const files = plugin.withTypeProvider<ZodTypeProvider>();
    files.addContentTypeParser("application/octet-stream", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    files.post(
      "/api/v1/attachments",
      {
        bodyLimit: uploadLimit,
        schema: {
          tags: ["timeline"],
          summary: "Upload a file (raw bytes, Content-Type application/octet-stream) for a timeline entry: images, PDF, Office documents, UTF-8 text/CSV; checked by content",
          querystring: z.strictObject({ filename: z.string().min(1).max(255) }),
          response: { 201: AttachmentSchema, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await uploadAttachment(ctxOf(req), req.query.filename, req.body as Buffer)),
    );
  });
  app.get("/api/v1/attachments/:id", { schema: { tags: ["timeline"], summary: "Download an attachment", params: IdParams } }, async (req, reply) => {
    const file = await readAttachment(ctxOf(req), req.params.id);
    const inline = file.mime.startsWith("image/") || file.mime === "application/pdf";
    return reply
      .header("content-type", file.mime)
      .header("content-disposition", `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header("x-content-type-options", "nosniff")
      .header("content-security-policy", "sandbox; default-src 'none'")
      .send(file.body);
  });
}
