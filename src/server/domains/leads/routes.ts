import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import { expectedVersion } from "../../lib/versioning.js";
import { createRule, deleteRule, findRules, updateRule } from "./assignment.js";
import {
  AssignSchema,
  ConvertResultSchema,
  ConvertSchema,
  FollowUpSchema,
  LeadCreateSchema,
  LeadSchema,
  LeadUpdateSchema,
  LoseSchema,
  PoolSettingsSchema,
  PoolSettingsUpdateSchema,
  ReleaseSchema,
  RuleCreateSchema,
  RuleSchema,
  RuleUpdateSchema,
  VersionBody,
} from "./contracts.js";
import { convertLead } from "./convert.js";
import { assignLead, createLead, deleteLead, findLeads, followUpLead, getLead, transitionLead, updateLead } from "./leads.js";
import "./messages.js";
import { claimLead, getLeadPoolSettings, releaseLead, updateLeadPoolSettings } from "./pool.js";

const tags = ["leads"];
const NoContent = { 204: z.null(), ...errors };
/** Actions take the version (If-Match or body) when given; without it they act on the current one. */
const optionalVersion = (ifMatch: string | undefined, version: number | undefined) => (ifMatch === undefined && version === undefined ? "any" : expectedVersion(ifMatch, version));

export function leadRoutes(app: App): void {
  app.get(
    "/api/v1/leads",
    {
      schema: {
        tags,
        summary:
          "Leads I may see: my own (managers: their department's) and the lead pool. Sort: updatedAt (default -updatedAt), createdAt, name, lastFollowUpAt. " +
          "Filters: status, ownerId (ownerId:null:true = the pool), source, campaign, provinceCode, productLine, tag, company, createdAt, updatedAt, lastFollowUpAt; q: name, company, phone or e-mail",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(LeadSchema), ...errors },
      },
    },
    async (req) => findLeads(ctxOf(req), req.query),
  );
  app.post(
    "/api/v1/leads",
    {
      schema: {
        tags,
        summary: "Create a lead. Owner: the one given, else the creator (if they may claim leads), else the assignment rules (round robin), else the lead pool",
        body: LeadCreateSchema,
        response: { 201: LeadSchema, ...errors },
      },
    },
    async (req, reply) => {
      const lead = await createLead(ctxOf(req), req.body);
      setEtag(reply, lead.version);
      return reply.code(201).send(lead);
    },
  );
  app.get("/api/v1/leads/:id", { schema: { tags, summary: "One lead", params: IdParams, response: { 200: LeadSchema, ...errors } } }, async (req, reply) => {
    const lead = await getLead(ctxOf(req), req.params.id);
    setEtag(reply, lead.version);
    return lead;
  });
  app.patch(
    "/api/v1/leads/:id",
    { schema: { tags, summary: "Change a lead that is not converted (If-Match or version required)", params: IdParams, body: LeadUpdateSchema, response: { 200: LeadSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const lead = await updateLead(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, lead.version);
      return lead;
    },
  );
  app.delete("/api/v1/leads/:id", { schema: { tags, summary: "Delete a lead (lead:delete)", params: IdParams, response: NoContent } }, async (req, reply) => {
    await deleteLead(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.post(
    "/api/v1/leads/:id/follow-up",
    { schema: { tags, summary: "Record a follow-up: the reclaim clock restarts, a new lead becomes contacted", params: IdParams, body: FollowUpSchema, response: { 200: LeadSchema, ...errors } } },
    async (req, reply) => {
      const lead = await followUpLead(ctxOf(req), req.params.id, optionalVersion(req.headers["if-match"], req.body.version), req.body.note);
      setEtag(reply, lead.version);
      return lead;
    },
  );
  for (const action of ["qualify", "reopen"] as const) {
    app.post(
      `/api/v1/leads/:id/${action}`,
      { schema: { tags, summary: action === "qualify" ? "Mark a new or contacted lead qualified" : "Reopen a lost lead", params: IdParams, body: VersionBody, response: { 200: LeadSchema, ...errors } } },
      async (req, reply) => {
        const lead = await transitionLead(ctxOf(req), req.params.id, optionalVersion(req.headers["if-match"], req.body?.version), action);
        setEtag(reply, lead.version);
        return lead;
      },
    );
  }
  app.post(
    "/api/v1/leads/:id/lose",
    { schema: { tags, summary: "Mark an open lead lost, with the reason", params: IdParams, body: LoseSchema, response: { 200: LeadSchema, ...errors } } },
    async (req, reply) => {
      const lead = await transitionLead(ctxOf(req), req.params.id, optionalVersion(req.headers["if-match"], req.body.version), "lose", req.body.lostReason);
      setEtag(reply, lead.version);
      return lead;
    },
  );
  app.post(
    "/api/v1/leads/:id/assign",
    { schema: { tags, summary: "Give a lead to a user: one's own with lead:update, others' and pool leads with lead:manage", params: IdParams, body: AssignSchema, response: { 200: LeadSchema, ...errors } } },
    async (req, reply) => {
      const lead = await assignLead(ctxOf(req), req.params.id, optionalVersion(req.headers["if-match"], req.body.version), req.body.userId);
      setEtag(reply, lead.version);
      return lead;
    },
  );
  app.post(
    "/api/v1/leads/:id/claim",
    { schema: { tags, summary: "Claim a pool lead (daily limit, holding cap of open leads, cooldown after releasing it)", params: IdParams, response: { 200: LeadSchema, ...errors } } },
    async (req, reply) => {
      const lead = await claimLead(ctxOf(req), req.params.id);
      setEtag(reply, lead.version);
      return lead;
    },
  );
  app.post(
    "/api/v1/leads/:id/release",
    { schema: { tags, summary: "Put a lead back into the pool: its owner, or a manager (lead:manage)", params: IdParams, body: ReleaseSchema, response: NoContent } },
    async (req, reply) => {
      await releaseLead(ctxOf(req), req.params.id, req.body?.reason ?? "");
      return reply.code(204).send(null);
    },
  );
  app.post(
    "/api/v1/leads/:id/convert",
    {
      schema: {
        tags,
        summary:
          "Convert a lead in one transaction: a customer (new, prefilled from the lead, or existing), a contact linked to it and optionally an opportunity. " +
          "Likely duplicates answer 409 with details.duplicates and details.part; convert onto an existing customer (customer.existingId) or confirm (allowDuplicate)",
        params: IdParams,
        body: ConvertSchema,
        response: { 200: ConvertResultSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const result = await convertLead(ctxOf(req), req.params.id, optionalVersion(req.headers["if-match"], version), input);
      setEtag(reply, result.lead.version);
      return result;
    },
  );

  app.get("/api/v1/lead-pool-settings", { schema: { tags, summary: "The lead pool's claim and reclaim rules", response: { 200: PoolSettingsSchema, ...errors } } }, async (req, reply) => {
    const settings = await getLeadPoolSettings(ctxOf(req));
    setEtag(reply, settings.version);
    return settings;
  });
  app.patch(
    "/api/v1/lead-pool-settings",
    { schema: { tags, summary: "Change the lead pool's rules (lead:manage; If-Match or version required)", body: PoolSettingsUpdateSchema, response: { 200: PoolSettingsSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const settings = await updateLeadPoolSettings(ctxOf(req), expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, settings.version);
      return settings;
    },
  );

  app.get("/api/v1/lead-assignment-rules", { schema: { tags, summary: "Assignment rules in the order they are tried", response: { 200: z.object({ items: z.array(RuleSchema) }), ...errors } } }, async (req) => ({
    items: await findRules(ctxOf(req)),
  }));
  app.post(
    "/api/v1/lead-assignment-rules",
    { schema: { tags, summary: "Add an assignment rule (lead:manage)", body: RuleCreateSchema, response: { 201: RuleSchema, ...errors } } },
    async (req, reply) => {
      const rule = await createRule(ctxOf(req), req.body);
      setEtag(reply, rule.version);
      return reply.code(201).send(rule);
    },
  );
  app.patch(
    "/api/v1/lead-assignment-rules/:id",
    { schema: { tags, summary: "Change an assignment rule (lead:manage; If-Match or version required); new users restart the round", params: IdParams, body: RuleUpdateSchema, response: { 200: RuleSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const rule = await updateRule(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, rule.version);
      return rule;
    },
  );
  app.delete("/api/v1/lead-assignment-rules/:id", { schema: { tags, summary: "Delete an assignment rule (lead:manage)", params: IdParams, response: NoContent } }, async (req, reply) => {
    await deleteRule(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });
}
