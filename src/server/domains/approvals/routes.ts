import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { pageSchema } from "../../lib/listing.js";
import { expectedVersion } from "../../lib/versioning.js";
import { findRequests, getRequest } from "./approvals.js";
import {
  CommentSchema,
  DecisionSchema,
  FlowCreateSchema,
  FlowQuerySchema,
  FlowSchema,
  FlowUpdateSchema,
  RequestDetailSchema,
  RequestListQuerySchema,
  RequestSchema,
  ReturnSchema,
} from "./contracts.js";
import { approveRequest, commentRequest, rejectRequest, returnRequest, withdrawRequest } from "./decide.js";
import { createFlow, deleteFlow, findFlows, getFlow, updateFlow } from "./flows.js";

const tags = ["approvals"];
const Detail = { 200: RequestDetailSchema, ...errors };

export function approvalRoutes(app: App): void {
  // Flows (审批流配置)
  app.get(
    "/api/v1/approval-flows",
    { schema: { tags, summary: "Configured approval flows, by kind and minimum amount", querystring: FlowQuerySchema, response: { 200: z.object({ items: z.array(FlowSchema) }), ...errors } } },
    async (req) => ({ items: await findFlows(ctxOf(req), req.query) }),
  );
  app.post(
    "/api/v1/approval-flows",
    { schema: { tags, summary: "Create an approval flow (approval:manage): 1–10 steps, each decided by a role, a user or the requester's managers", body: FlowCreateSchema, response: { 201: FlowSchema, ...errors } } },
    async (req, reply) => {
      const flow = await createFlow(ctxOf(req), req.body);
      setEtag(reply, flow.version);
      return reply.code(201).send(flow);
    },
  );
  app.get("/api/v1/approval-flows/:id", { schema: { tags, summary: "One approval flow", params: IdParams, response: { 200: FlowSchema, ...errors } } }, async (req, reply) => {
    const flow = await getFlow(ctxOf(req), req.params.id);
    setEtag(reply, flow.version);
    return flow;
  });
  app.patch(
    "/api/v1/approval-flows/:id",
    {
      schema: {
        tags,
        summary: "Change an approval flow (If-Match or version required); requests already made keep their steps",
        params: IdParams,
        body: FlowUpdateSchema,
        response: { 200: FlowSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const flow = await updateFlow(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, flow.version);
      return flow;
    },
  );
  app.delete(
    "/api/v1/approval-flows/:id",
    { schema: { tags, summary: "Delete an approval flow (If-Match required)", params: IdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await deleteFlow(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], undefined));
      return reply.code(204).send(null);
    },
  );

  // Requests (审批申请)
  app.get(
    "/api/v1/approvals",
    {
      schema: {
        tags,
        summary:
          "Approval requests: box=inbox (waiting for me), mine (I asked), all (approval:manage); objectType+objectId: the requests of one record that I may see (the requester and who sees their records, the current step's approvers, whoever acted, approval:manage). Sort: createdAt, updatedAt. Filters: status, kind, objectType, objectId, requestedBy, createdAt, updatedAt",
        querystring: RequestListQuerySchema,
        response: { 200: pageSchema(RequestSchema), ...errors },
      },
    },
    async (req) => {
      const { box, objectType, objectId, ...query } = req.query;
      return findRequests(ctxOf(req), box, query, { objectType, objectId });
    },
  );
  app.get("/api/v1/approvals/:id", { schema: { tags, summary: "One request with its steps, the current step's approvers and its history", params: IdParams, response: Detail } }, async (req, reply) => {
    const request = await getRequest(ctxOf(req), req.params.id);
    setEtag(reply, request.version);
    return request;
  });
  const decisions = [
    ["approve", "Approve the current step (its approvers only, never the requester): on to the next step, or approved after the last", approveRequest],
    ["reject", "Reject the request (the current step's approvers only, never the requester)", rejectRequest],
    ["withdraw", "Withdraw a pending request (the requester only)", withdrawRequest],
  ] as const;
  for (const [action, summary, decide] of decisions) {
    app.post(`/api/v1/approvals/:id/${action}`, { schema: { tags, summary: `${summary}. If-Match or version required`, params: IdParams, body: DecisionSchema.nullish(), response: Detail } }, async (req, reply) => {
      const body = req.body ?? {};
      const request = await decide(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], body.version), body.comment ?? "");
      setEtag(reply, request.version);
      return request;
    });
  }
  app.post(
    "/api/v1/approvals/:id/return",
    { schema: { tags, summary: "Return the request to an earlier step, whose approvers decide again (the current step's approvers only). If-Match or version required", params: IdParams, body: ReturnSchema, response: Detail } },
    async (req, reply) => {
      const request = await returnRequest(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body.version), req.body.toStep, req.body.comment ?? "");
      setEtag(reply, request.version);
      return request;
    },
  );
  app.post(
    "/api/v1/approvals/:id/comment",
    { schema: { tags, summary: "Comment on a pending request (anyone who can see it); If-Match or version optional", params: IdParams, body: CommentSchema, response: Detail } },
    async (req, reply) => {
      const ifMatch = req.headers["if-match"];
      const version = ifMatch === undefined && req.body.version === undefined ? undefined : expectedVersion(ifMatch, req.body.version);
      const request = await commentRequest(ctxOf(req), req.params.id, version, req.body.comment);
      setEtag(reply, request.version);
      return request;
    },
  );
}
