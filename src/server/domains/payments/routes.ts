import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, VersionField, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import { expectedVersion } from "../../lib/versioning.js";
import { InstalmentSchema, InstalmentsBody, InvoiceCreateSchema, InvoiceSchema, PaymentCreateSchema, PaymentRecordSchema, PaymentSchema, ReceivablesSchema, VoidBody } from "./contracts.js";
import { createInvoice, findInvoices, findOrderInvoices, voidInvoice } from "./invoices.js";
import "./messages.js";
import "./policy.js";
import { createPayment, findPayments, getPayment, voidPayment } from "./payments.js";
import { getPaymentPlan, setPaymentPlan } from "./plans.js";
import { getPaymentRecord, getReceivables } from "./receivables.js";

const tags = ["payments"];

export function paymentRoutes(app: App): void {
  app.get(
    "/api/v1/orders/:id/payment-plan",
    { schema: { tags, summary: "An order's instalments with what was paid of each, and their status", params: IdParams, response: { 200: z.object({ items: z.array(InstalmentSchema) }), ...errors } } },
    async (req) => ({ items: await getPaymentPlan(ctxOf(req), req.params.id) }),
  );
  app.put(
    "/api/v1/orders/:id/payment-plan",
    {
      schema: {
        tags,
        summary: "Set an approved order's payment plan (回款计划): instalments adding up to its total; replaces the plan. If-Match is the order's version",
        params: IdParams,
        body: InstalmentsBody,
        response: { 200: z.object({ items: z.array(InstalmentSchema) }), ...errors },
      },
    },
    async (req) => ({ items: await setPaymentPlan(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body.version), req.body.instalments) }),
  );
  app.get(
    "/api/v1/payments",
    {
      schema: {
        tags,
        summary: "Payments received (回款) from customers I can see. Sort: receivedOn (default -receivedOn), number, amount, createdAt. Filters: customerId, orderId (matched to that order), receivedOn, number, amount, method, currency, createdAt. Each with the orders it was matched to",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(PaymentSchema), ...errors },
      },
    },
    async (req) => findPayments(ctxOf(req), req.query),
  );
  app.post(
    "/api/v1/payments",
    {
      schema: {
        tags,
        summary: "Record a payment and match it to orders (given, or the oldest open orders first); never more than is due",
        body: PaymentCreateSchema,
        response: { 201: PaymentSchema, ...errors },
      },
    },
    async (req, reply) => {
      const payment = await createPayment(ctxOf(req), req.body);
      setEtag(reply, payment.version);
      return reply.code(201).send(payment);
    },
  );
  app.get("/api/v1/payments/:id", { schema: { tags, summary: "One payment with the orders it was matched to", params: IdParams, response: { 200: PaymentSchema, ...errors } } }, async (req, reply) => {
    const payment = await getPayment(ctxOf(req), req.params.id);
    setEtag(reply, payment.version);
    return payment;
  });
  app.post(
    "/api/v1/payments/:id/void",
    { schema: { tags, summary: "Void a payment (payment:void): its amounts come off the orders again", params: IdParams, body: VoidBody, response: { 200: PaymentSchema, ...errors } } },
    async (req, reply) => {
      const payment = await voidPayment(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body.version), req.body.reason);
      setEtag(reply, payment.version);
      return payment;
    },
  );
  app.get(
    "/api/v1/receivables",
    {
      schema: {
        tags,
        summary: "Receivables ageing (应收账龄) in the base currency: current, 1–30, 31–60, 61–90, 90+ days overdue, per customer (largest first) and in total",
        querystring: z.object({ asOf: z.iso.date().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: ReceivablesSchema, ...errors },
      },
    },
    async (req) => getReceivables(ctxOf(req), req.query),
  );
  app.get(
    "/api/v1/customers/:id/payment-record",
    { schema: { tags, summary: "A customer's payment record: instalments due, paid on time or late, days late, overdue now", params: IdParams, response: { 200: PaymentRecordSchema, ...errors } } },
    async (req) => getPaymentRecord(ctxOf(req), req.params.id),
  );
  app.get(
    "/api/v1/invoices",
    {
      schema: {
        tags,
        summary: "Invoices of orders I can see, with the order's number and the customer's name. Sort: issuedOn (default -issuedOn), number, amount, createdAt. Filters: customerId, orderId, type, number, amount, issuedOn, createdAt",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(InvoiceSchema), ...errors },
      },
    },
    async (req) => findInvoices(ctxOf(req), req.query),
  );
  app.get(
    "/api/v1/orders/:id/invoices",
    { schema: { tags, summary: "Invoices issued for an order", params: IdParams, response: { 200: z.object({ items: z.array(InvoiceSchema) }), ...errors } } },
    async (req) => ({ items: await findOrderInvoices(ctxOf(req), req.params.id) }),
  );
  app.post(
    "/api/v1/orders/:id/invoices",
    { schema: { tags, summary: "Record an invoice (发票) issued for an approved order; invoices never exceed the order total", params: IdParams, body: InvoiceCreateSchema, response: { 201: InvoiceSchema, ...errors } } },
    async (req, reply) => reply.code(201).send(await createInvoice(ctxOf(req), req.params.id, req.body)),
  );
  app.post(
    "/api/v1/invoices/:id/void",
    { schema: { tags, summary: "Void an invoice (invoice:void)", params: IdParams, body: z.strictObject({ ...VersionField }).nullish(), response: { 200: InvoiceSchema, ...errors } } },
    async (req) => voidInvoice(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body?.version)),
  );
}
