import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import { expectedVersion } from "../../lib/versioning.js";
import { getBoard } from "./board.js";
import {
  BoardQuerySchema,
  BoardSchema,
  HistorySchema,
  MoveSchema,
  OpportunityCreateSchema,
  OpportunitySchema,
  OpportunityUpdateSchema,
  PipelineCreateSchema,
  PipelineSchema,
  PipelineUpdateSchema,
} from "./contracts.js";
import "./messages.js";
import { getOpportunityHistory, moveOpportunity } from "./move-opportunity.js";
import { createOpportunity, deleteOpportunity, findOpportunities, getOpportunity, updateOpportunity } from "./opportunities.js";
import { createPipeline, deletePipeline, findPipelines, getPipeline, updatePipeline } from "./pipelines.js";

const NoContent = { 204: z.null(), ...errors };

export function opportunityRoutes(app: App): void {
  // Pipelines and their stages
  app.get(
    "/api/v1/pipelines",
    { schema: { tags: ["pipelines"], summary: "Pipelines with their stages in board order (the default first); a workspace without one gets its default pipeline", response: { 200: z.object({ items: z.array(PipelineSchema) }), ...errors } } },
    async (req) => ({ items: await findPipelines(ctxOf(req)) }),
  );
  app.post(
    "/api/v1/pipelines",
    { schema: { tags: ["pipelines"], summary: "Create a pipeline with its stages (pipeline:manage)", body: PipelineCreateSchema, response: { 201: PipelineSchema, ...errors } } },
    async (req, reply) => {
      const pipeline = await createPipeline(ctxOf(req), req.body);
      setEtag(reply, pipeline.version);
      return reply.code(201).send(pipeline);
    },
  );
  app.get("/api/v1/pipelines/:id", { schema: { tags: ["pipelines"], summary: "One pipeline with its stages", params: IdParams, response: { 200: PipelineSchema, ...errors } } }, async (req, reply) => {
    const pipeline = await getPipeline(ctxOf(req), req.params.id);
    setEtag(reply, pipeline.version);
    return pipeline;
  });
  app.patch(
    "/api/v1/pipelines/:id",
    {
      schema: {
        tags: ["pipelines"],
        summary: "Rename, make default, or replace the stage list: stages with an id are changed, without one added, left out deleted (refused while they hold opportunities). If-Match or version required",
        params: IdParams,
        body: PipelineUpdateSchema,
        response: { 200: PipelineSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const pipeline = await updatePipeline(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, pipeline.version);
      return pipeline;
    },
  );
  app.delete(
    "/api/v1/pipelines/:id",
    { schema: { tags: ["pipelines"], summary: "Delete a pipeline without opportunities that is not the default", params: IdParams, response: NoContent } },
    async (req, reply) => {
      await deletePipeline(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/api/v1/pipelines/:id/board",
    {
      schema: {
        tags: ["pipelines"],
        summary: "The kanban board: per stage the count, amount and weighted amount (base currency) and the first cards by rank, of the opportunities I may see",
        params: IdParams,
        querystring: BoardQuerySchema,
        response: { 200: BoardSchema, ...errors },
      },
    },
    async (req) => getBoard(ctxOf(req), req.params.id, req.query.cards),
  );

  // Opportunities
  app.get(
    "/api/v1/opportunities",
    {
      schema: {
        tags: ["opportunities"],
        summary: "Opportunities I may see (without products). Sort: updatedAt (default -updatedAt), expectedClose, amount, name, createdAt. Filters: pipelineId, stageId, status, ownerId, customerId, expectedClose, amount, name, currency, createdAt. q: name contains",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(OpportunitySchema), ...errors },
      },
    },
    async (req) => findOpportunities(ctxOf(req), req.query),
  );
  app.post(
    "/api/v1/opportunities",
    {
      schema: {
        tags: ["opportunities"],
        summary: "Create an opportunity in an open stage (default: the default pipeline's first); products are priced from the catalogue and make the amount",
        body: OpportunityCreateSchema,
        response: { 201: OpportunitySchema, ...errors },
      },
    },
    async (req, reply) => {
      const opportunity = await createOpportunity(ctxOf(req), req.body);
      setEtag(reply, opportunity.version);
      return reply.code(201).send(opportunity);
    },
  );
  app.get("/api/v1/opportunities/:id", { schema: { tags: ["opportunities"], summary: "One opportunity with its products", params: IdParams, response: { 200: OpportunitySchema, ...errors } } }, async (req, reply) => {
    const opportunity = await getOpportunity(ctxOf(req), req.params.id);
    setEtag(reply, opportunity.version);
    return opportunity;
  });
  app.patch(
    "/api/v1/opportunities/:id",
    {
      schema: {
        tags: ["opportunities"],
        summary: "Change an opportunity (its stage changes by moving it); products, when given, replace all and make the amount. If-Match or version required",
        params: IdParams,
        body: OpportunityUpdateSchema,
        response: { 200: OpportunitySchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const opportunity = await updateOpportunity(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, opportunity.version);
      return opportunity;
    },
  );
  app.delete(
    "/api/v1/opportunities/:id",
    { schema: { tags: ["opportunities"], summary: "Move an opportunity to the trash", params: IdParams, response: NoContent } },
    async (req, reply) => {
      await deleteOpportunity(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    "/api/v1/opportunities/:id/move",
    {
      schema: {
        tags: ["opportunities"],
        summary:
          "Drag and drop on the board: to a stage of the same pipeline (its required fields must be filled; a lost stage needs lossReason) and/or to a place in the column. " +
          "Won and lost stages close the opportunity, leaving them reopens it. If-Match or version required",
        params: IdParams,
        body: MoveSchema,
        response: { 200: OpportunitySchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const opportunity = await moveOpportunity(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, opportunity.version);
      return opportunity;
    },
  );
  app.get(
    "/api/v1/opportunities/:id/history",
    { schema: { tags: ["opportunities"], summary: "The stages an opportunity went through, with entered/left and days in each", params: IdParams, response: { 200: HistorySchema, ...errors } } },
    async (req) => getOpportunityHistory(ctxOf(req), req.params.id),
  );
}
