import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { expectedVersion } from "../../lib/versioning.js";
import { ImportSchema } from "./contracts.js";
import { attachment, importReport } from "./report.js";
import {
  ImportTemplateApplySchema,
  ImportTemplateCreateSchema,
  ImportTemplateListQuerySchema,
  ImportTemplateSchema,
  ImportTemplateUpdateSchema,
  ReportQuerySchema,
} from "./template-contracts.js";
import { applyTemplate, createTemplate, deleteTemplate, findTemplates, updateTemplate } from "./templates.js";

export function importTemplateRoutes(app: App): void {
  app.get(
    "/api/v1/import-templates",
    {
      schema: {
        tags: ["imports"],
        summary: "The workspace's import templates for customers or contacts",
        querystring: ImportTemplateListQuerySchema,
        response: { 200: z.object({ items: z.array(ImportTemplateSchema) }), ...errors },
      },
    },
    async (req) => ({ items: await findTemplates(ctxOf(req), req.query.objectType) }),
  );
  app.post(
    "/api/v1/import-templates",
    {
      schema: {
        tags: ["imports"],
        summary: "Save an import template: columns (title → field) and options, or `fromImport` to save an import's mapping",
        body: ImportTemplateCreateSchema,
        response: { 201: ImportTemplateSchema, ...errors },
      },
    },
    async (req, reply) => {
      const template = await createTemplate(ctxOf(req), req.body);
      setEtag(reply, template.version);
      return reply.code(201).send(template);
    },
  );
  app.patch(
    "/api/v1/import-templates/:id",
    {
      schema: {
        tags: ["imports"],
        summary: "Change an import template (If-Match or version required)",
        params: IdParams,
        body: ImportTemplateUpdateSchema,
        response: { 200: ImportTemplateSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...change } = req.body;
      const template = await updateTemplate(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), change);
      setEtag(reply, template.version);
      return template;
    },
  );
  app.delete(
    "/api/v1/import-templates/:id",
    { schema: { tags: ["imports"], summary: "Delete an import template", params: IdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await deleteTemplate(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    "/api/v1/imports/:id/template",
    {
      schema: {
        tags: ["imports"],
        summary: "Apply a template to an import: columns with a template's title take its field, the others keep theirs; options merged (If-Match or version required)",
        params: IdParams,
        body: ImportTemplateApplySchema,
        response: { 200: ImportSchema, ...errors },
      },
    },
    async (req, reply) => {
      const imp = await applyTemplate(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body.version), req.body.templateId);
      setEtag(reply, imp.version);
      return imp;
    },
  );
  app.get(
    "/api/v1/imports/:id/report.xlsx",
    {
      schema: {
        tags: ["imports"],
        summary: "The problem rows of the run (or `dryRun=true`: of the dry run) as an Excel file: the original cells, the messages in the request's language, the row number",
        params: IdParams,
        querystring: ReportQuerySchema,
      },
    },
    async (req, reply) => {
      const { fileName, stream } = await importReport(ctxOf(req), req.params.id, req.query.dryRun);
      return reply
        .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header("content-disposition", attachment(fileName))
        .header("cache-control", "no-store")
        .send(stream);
    },
  );
}
