import { z } from "zod";
import { ctxOf, errors, IdParams, type App } from "../../lib/http.js";
import { MergeCreateSchema, MergeListQuerySchema, MergePreviewQuerySchema, MergePreviewSchema, MergeSchema } from "./merge-contracts.js";
import { previewMerge } from "./merge-fields.js";
import { findMerges, getMerge, mergeRecords, undoMerge } from "./merge.js";

export function mergeRoutes(app: App): void {
  app.get(
    "/api/v1/merges/preview",
    {
      schema: {
        tags: ["merges"],
        summary: "Records side by side before merging them, with a suggested value per field (the most recently updated non-empty one; phones, e-mails and tags united)",
        querystring: MergePreviewQuerySchema,
        response: { 200: MergePreviewSchema, ...errors },
      },
    },
    async (req) => previewMerge(ctxOf(req), req.query.objectType, req.query.ids),
  );
  app.get(
    "/api/v1/merges",
    { schema: { tags: ["merges"], summary: "Recent merges (newest first) whose records you can see", querystring: MergeListQuerySchema, response: { 200: z.object({ items: z.array(MergeSchema) }), ...errors } } },
    async (req) => ({ items: await findMerges(ctxOf(req), req.query) }),
  );
  app.post(
    "/api/v1/merges",
    {
      schema: {
        tags: ["merges"],
        summary:
          "Merge 1–9 records into a survivor in one transaction: chosen values applied, contacts, links, timeline, attachments, tasks and tags moved, the merged ids answering 308 to the survivor. Needs update on the survivor and delete on the merged records. 409 when one was merged meanwhile",
        body: MergeCreateSchema,
        response: { 201: MergeSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await mergeRecords(ctxOf(req), req.body)),
  );
  app.get("/api/v1/merges/:id", { schema: { tags: ["merges"], summary: "One merge", params: IdParams, response: { 200: MergeSchema, ...errors } } }, async (req) =>
    getMerge(ctxOf(req), req.params.id),
  );
  app.post(
    "/api/v1/merges/:id/undo",
    {
      schema: {
        tags: ["merges"],
        summary: "Undo a merge: the records come back and what was moved goes back (what was added to the survivor since stays). 409 once the survivor was merged or deleted",
        params: IdParams,
        response: { 200: MergeSchema, ...errors },
      },
    },
    async (req) => undoMerge(ctxOf(req), req.params.id),
  );
}
