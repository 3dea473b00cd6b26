import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import { expectedVersion } from "../../lib/versioning.js";
import { PdfQuery, QuoteCreateSchema, QuoteSchema, QuoteUpdateSchema, RejectBody, RevisionQuery, SendBody, VersionBody } from "./contracts.js";
import "./messages.js";
import "./policy.js";
import { acceptQuote, createQuote, deleteQuote, findQuotes, getQuote, quotePdf, rejectQuote, requestDiscountApproval, sendQuote, updateQuote } from "./quotes.js";

const tags = ["quotes"];

export function quoteRoutes(app: App): void {
  app.get(
    "/api/v1/quotes",
    {
      schema: {
        tags,
        summary: "Quotes I may see, with their current revision (without lines). Sort: updatedAt (default -updatedAt), number, createdAt. Filters: status, customerId, ownerId, opportunityId, number, validUntil (validUntil:lt:<today> finds lapsed quotes), createdAt",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(QuoteSchema), ...errors },
      },
    },
    async (req) => findQuotes(ctxOf(req), req.query),
  );
  app.post(
    "/api/v1/quotes",
    { schema: { tags, summary: "Create a draft quote (revision 1): lines priced like an order's unless given", body: QuoteCreateSchema, response: { 201: QuoteSchema, ...errors } } },
    async (req, reply) => {
      const quote = await createQuote(ctxOf(req), req.body);
      setEtag(reply, quote.version);
      return reply.code(201).send(quote);
    },
  );
  app.get(
    "/api/v1/quotes/:id",
    { schema: { tags, summary: "One quote: a revision (default the current one) with its lines, and all revisions", params: IdParams, querystring: RevisionQuery, response: { 200: QuoteSchema, ...errors } } },
    async (req, reply) => {
      const quote = await getQuote(ctxOf(req), req.params.id, req.query.revision);
      setEtag(reply, quote.version);
      return quote;
    },
  );
  app.patch(
    "/api/v1/quotes/:id",
    {
      schema: {
        tags,
        summary: "Change a quote (If-Match or version required): a draft in place; a sent quote gets a new revision and is a draft again. Lines, when given, replace all lines",
        params: IdParams,
        body: QuoteUpdateSchema,
        response: { 200: QuoteSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const quote = await updateQuote(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, quote.version);
      return quote;
    },
  );
  app.delete(
    "/api/v1/quotes/:id",
    { schema: { tags, summary: "Move a quote that is not accepted to the trash (If-Match required)", params: IdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await deleteQuote(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], undefined));
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/api/v1/quotes/:id/pdf",
    { schema: { tags, summary: "A revision (default the current one) as PDF with the company's letterhead", params: IdParams, querystring: PdfQuery } },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const pdf = await quotePdf(ctx, req.params.id, req.query.revision, req.query.lang ?? ctx.locale);
      return reply
        .type("application/pdf")
        .header("content-disposition", `inline; filename="${pdf.filename.replace(/[^\w.-]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(pdf.filename)}`)
        .send(pdf.body);
    },
  );
  app.post(
    "/api/v1/quotes/:id/request-approval",
    {
      schema: {
        tags,
        summary: "Ask for approval of the current revision's discounts (needed to send while a line's discount exceeds the workspace's threshold)",
        params: IdParams,
        body: VersionBody,
        response: { 201: z.object({ approvalId: z.uuid() }), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await requestDiscountApproval(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body?.version))),
  );
  app.post(
    "/api/v1/quotes/:id/send",
    { schema: { tags, summary: "E-mail the current revision as PDF and mark it sent", params: IdParams, body: SendBody, response: { 200: QuoteSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const quote = await sendQuote(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, quote.version);
      return quote;
    },
  );
  app.post(
    "/api/v1/quotes/:id/accept",
    { schema: { tags, summary: "The customer accepted the sent quote: a draft order is made from the current revision", params: IdParams, body: VersionBody, response: { 200: QuoteSchema, ...errors } } },
    async (req, reply) => {
      const quote = await acceptQuote(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body?.version));
      setEtag(reply, quote.version);
      return quote;
    },
  );
  app.post(
    "/api/v1/quotes/:id/reject",
    { schema: { tags, summary: "The customer declined the sent quote, with a reason", params: IdParams, body: RejectBody, response: { 200: QuoteSchema, ...errors } } },
    async (req, reply) => {
      const quote = await rejectQuote(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body.version), req.body.reason);
      setEtag(reply, quote.version);
      return quote;
    },
  );
}
