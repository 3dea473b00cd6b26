import fs from "node:fs";
import { z } from "zod";
import { ctxOf, errors, IdParams, type App } from "../../lib/http.js";
import { ExportCreateSchema, ExportSchema } from "./export-contracts.js";
import { CONTENT_TYPES } from "./export-writers.js";
import { createExport, getExport, listExports, openExportFile, type ExportView } from "./exports.js";

const withLink = (e: ExportView) => ({ ...e, downloadUrl: e.status === "completed" ? `/api/v1/exports/${e.id}/file` : null });

/**
 * RFC 6266 / 5987: an ASCII name for old clients and the UTF-8 one
 * (客户-2026-11-23.csv) for everyone else.
 */
export function contentDisposition(fileName: string, fallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encoded}`;
}

export function exportRoutes(app: App): void {
  app.post(
    "/api/v1/exports",
    {
      schema: {
        tags: ["exports"],
        summary:
          "Export what a customer or contact list shows (its filters, sort, search, columns or a saved view) to CSV (UTF-8 with BOM), Excel .xlsx or vCard, as a job (customer:export / contact:export). Poll the export (or its job) and download its file",
        body: ExportCreateSchema,
        response: { 202: ExportSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(202).send(withLink(await createExport(ctxOf(req), req.body))),
  );
  app.get(
    "/api/v1/exports",
    { schema: { tags: ["exports"], summary: "Your recent exports (files are kept 7 days)", response: { 200: z.object({ items: z.array(ExportSchema) }), ...errors } } },
    async (req) => ({ items: (await listExports(ctxOf(req))).map(withLink) }),
  );
  app.get("/api/v1/exports/:id", { schema: { tags: ["exports"], summary: "One of your exports, with its progress", params: IdParams, response: { 200: ExportSchema, ...errors } } }, async (req) =>
    withLink(await getExport(ctxOf(req), req.params.id)),
  );
  app.get(
    "/api/v1/exports/:id/file",
    { schema: { tags: ["exports"], summary: "The finished file of one of your exports, streamed (404 for anyone else, 409 while it is being written)", params: IdParams } },
    async (req, reply) => {
      const f = await openExportFile(ctxOf(req), req.params.id);
      return reply
        .header("content-type", CONTENT_TYPES[f.format])
        .header("content-length", f.size)
        .header("content-disposition", contentDisposition(f.fileName, f.asciiName))
        .header("cache-control", "private, no-store")
        .send(fs.createReadStream(f.file));
    },
  );
}
