import type { Readable } from "node:stream";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { translate } from "../../lib/i18n.js";
import { expectedVersion } from "../../lib/versioning.js";
import { ImportCreateQuerySchema, ImportIssuesQuerySchema, ImportIssuesSchema, ImportSchema, ImportUpdateSchema } from "./contracts.js";
import { createImport, getImport, importIssues, listImports, startImport, undoImport, updateImport } from "./imports.js";

export function exchangeRoutes(app: App, importLimit: number): void {
  // Files are sent as raw bytes and streamed to disk (never held in memory), only on this route.
  void app.register(async (plugin) => {
    const files = plugin.withTypeProvider<ZodTypeProvider>();
    files.addContentTypeParser(["application/octet-stream", "text/csv", "text/vcard", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"], (_req, payload, done) => done(null, payload));
    files.post(
      "/api/v1/imports",
      {
        bodyLimit: importLimit,
        schema: {
          tags: ["imports"],
          summary:
            "Upload a file to import (raw bytes: CSV in any common encoding, Excel .xlsx, or vCard .vcf). Answers the columns, a suggested mapping and the first rows; nothing is imported yet",
          querystring: ImportCreateQuerySchema,
          response: { 201: ImportSchema, ...errors },
        },
      },
      async (req, reply) => {
        let imp;
        try {
          imp = await createImport(ctxOf(req), { ...req.query, body: req.body as Readable });
        } catch (err) {
          // A file refused part-way (too large) leaves the rest of the body unread: close the connection
          // rather than leave the client sending into a socket nobody reads.
          if (!(req.body as Readable).readableEnded) reply.header("connection", "close");
          throw err;
        }
        setEtag(reply, imp.version);
        return reply.code(201).send(imp);
      },
    );
  });
  app.get("/api/v1/imports", { schema: { tags: ["imports"], summary: "Recent imports (your own, or everyone's with visibility of all records)", response: { 200: z.object({ items: z.array(ImportSchema) }), ...errors } } }, async (req) => ({
    items: await listImports(ctxOf(req)),
  }));
  app.get(
    "/api/v1/imports/:id",
    { schema: { tags: ["imports"], summary: "An import with its counts; `preview=true` adds the first rows", params: IdParams, querystring: z.strictObject({ preview: z.enum(["true", "false"]).optional() }), response: { 200: ImportSchema, ...errors } } },
    async (req, reply) => {
      const imp = await getImport(ctxOf(req), req.params.id, { preview: req.query.preview === "true" });
      setEtag(reply, imp.version);
      return imp;
    },
  );
  app.patch(
    "/api/v1/imports/:id",
    { schema: { tags: ["imports"], summary: "Change the mapping, options or sheet (If-Match or version required)", params: IdParams, body: ImportUpdateSchema, response: { 200: ImportSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...change } = req.body;
      const imp = await updateImport(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), change);
      setEtag(reply, imp.version);
      return imp;
    },
  );
  for (const mode of ["check", "run"] as const) {
    app.post(
      `/api/v1/imports/:id/${mode}`,
      {
        schema: {
          tags: ["imports"],
          summary:
            mode === "check"
              ? "Dry run as a job: every row normalised and validated, duplicates and references looked up, nothing kept; problems under /issues?dryRun=true"
              : "Run the import as a resumable job (progress on the job); a crash or restart continues where it stopped and duplicates nothing",
          params: IdParams,
          response: { 202: ImportSchema, ...errors },
        },
      },
      async (req, reply) => reply.code(202).send(await startImport(ctxOf(req), req.params.id, mode)),
    );
  }
  app.post(
    "/api/v1/imports/:id/undo",
    {
      schema: {
        tags: ["imports"],
        summary:
          "Undo a completed import as a job: records it created go to the trash, records it updated get back the values it replaced; records changed since the import stay as they are",
        params: IdParams,
        response: { 202: ImportSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(202).send(await undoImport(ctxOf(req), req.params.id)),
  );
  app.get(
    "/api/v1/imports/:id/issues",
    { schema: { tags: ["imports"], summary: "Rows with problems, in file order, with localized messages", params: IdParams, querystring: ImportIssuesQuerySchema, response: { 200: ImportIssuesSchema, ...errors } } },
    async (req) => {
      const ctx = ctxOf(req);
      const page = await importIssues(ctx, req.params.id, req.query);
      return { ...page, items: page.items.map((r) => ({ ...r, issues: r.issues.map((i) => ({ column: i.column, key: i.key, message: translate(ctx.locale, i.key, i.params) })) })) };
    },
  );
}
