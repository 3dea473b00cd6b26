import { z } from "zod";
import { ctxOf, DateTime, errors, IdParams, setEtag, VersionField, type App } from "../../lib/http.js";
import { expectedVersion } from "../../lib/versioning.js";
import { createView, deleteView, findViews, updateView } from "./views.js";

const Filter = z.string().regex(/^[A-Za-z][\w.]*:(eq|ne|lt|lte|gt|gte|in|contains|null):/, { message: "errors.bad_filter" }).max(500);
const Query = z.strictObject({
  filter: z.array(Filter).max(20).default([]),
  sort: z.string().regex(/^-?[A-Za-z][\w.]*$/).max(100).optional(),
  q: z.string().max(200).optional(),
  columns: z.array(z.string().max(60)).max(60).default([]),
  groupBy: z.string().regex(/^[A-Za-z][\w.]*$/).max(60).optional(),
});
const ObjectType = z.enum(["customer", "contact"]);

const ViewSchema = z
  .object({
    id: z.uuid(),
    objectType: z.string(),
    name: z.string(),
    ownerId: z.uuid(),
    shared: z.boolean(),
    layout: z.enum(["list", "kanban"]),
    query: z.object({ filter: z.array(z.string()), sort: z.string().optional(), q: z.string().optional(), columns: z.array(z.string()), groupBy: z.string().optional() }),
    position: z.number().int(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "SavedView" });

const fields = {
  name: z.string().trim().min(1).max(100),
  shared: z.boolean().optional().meta({ description: "Visible to the whole workspace (view:share)" }),
  layout: z.enum(["list", "kanban"]).optional(),
  query: Query,
  position: z.number().int().min(0).max(10000).optional(),
};

export function viewRoutes(app: App): void {
  app.get(
    "/api/v1/views",
    { schema: { tags: ["views"], summary: "My saved views and the shared ones", querystring: z.strictObject({ objectType: ObjectType }), response: { 200: z.object({ items: z.array(ViewSchema) }), ...errors } } },
    async (req) => ({ items: await findViews(ctxOf(req), req.query.objectType) }),
  );
  app.post(
    "/api/v1/views",
    { schema: { tags: ["views"], summary: "Save a view (filters as in the list API)", body: z.strictObject({ objectType: ObjectType, ...fields }), response: { 201: ViewSchema, ...errors } } },
    async (req, reply) => reply.code(201).send(await createView(ctxOf(req), req.body)),
  );
  app.patch(
    "/api/v1/views/:id",
    {
      schema: {
        tags: ["views"],
        summary: "Change a saved view (If-Match or version required)",
        params: IdParams,
        body: z.strictObject({ ...VersionField, ...fields, name: fields.name.optional(), query: Query.optional() }),
        response: { 200: ViewSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const view = await updateView(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, view.version);
      return view;
    },
  );
  app.delete("/api/v1/views/:id", { schema: { tags: ["views"], summary: "Delete a saved view", params: IdParams, response: { 204: z.null(), ...errors } } }, async (req, reply) => {
    await deleteView(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });
}
