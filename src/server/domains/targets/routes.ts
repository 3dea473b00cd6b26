import { z } from "zod";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { expectedVersion } from "../../lib/versioning.js";
import {
  BreakdownSchema,
  ForecastQuerySchema,
  ForecastSchema,
  LeaderboardQuerySchema,
  LeaderboardSchema,
  TargetCreateSchema,
  TargetDetailSchema,
  TargetQuerySchema,
  TargetSchema,
  TargetUpdateSchema,
} from "./contracts.js";
import "./messages.js";
import { getForecast, getLeaderboard } from "./progress.js";
import { breakDownTarget, createTarget, deleteTarget, findTargets, getTarget, updateTarget } from "./targets.js";

const NoContent = { 204: z.null(), ...errors };

/** Sales targets (业绩目标): set and broken down from the top, with progress, leaderboard and forecast. */
export function targetRoutes(app: App): void {
  app.get(
    "/api/v1/targets",
    {
      schema: {
        tags: ["targets"],
        summary: "Targets I may see for the month, quarter and year containing `on` (default today), each with its progress (a rep: their own; a manager: their department's; admins: all)",
        querystring: TargetQuerySchema,
        response: { 200: z.object({ items: z.array(TargetSchema) }), ...errors },
      },
    },
    async (req) => ({ items: await findTargets(ctxOf(req), req.query) }),
  );
  app.post(
    "/api/v1/targets",
    {
      schema: {
        tags: ["targets"],
        summary: "Set a target (target:manage). Under a parent: same metric and period, a scope below it, and the parent's children may not add up to more than the parent (400)",
        body: TargetCreateSchema,
        response: { 201: TargetSchema, ...errors },
      },
    },
    async (req, reply) => {
      const target = await createTarget(ctxOf(req), req.body);
      setEtag(reply, target.version);
      return reply.code(201).send(target);
    },
  );
  app.get(
    "/api/v1/targets/leaderboard",
    { schema: { tags: ["targets"], summary: "People I may see ranked by a metric in the period containing `on`, with their personal targets", querystring: LeaderboardQuerySchema, response: { 200: LeaderboardSchema, ...errors } } },
    async (req) => getLeaderboard(ctxOf(req), req.query),
  );
  app.get(
    "/api/v1/targets/forecast",
    {
      schema: {
        tags: ["targets"],
        summary: "Weighted pipeline forecast per owner: open opportunities expected to close in the period × probability, beside orders so far and the order-amount target (base currency)",
        querystring: ForecastQuerySchema,
        response: { 200: ForecastSchema, ...errors },
      },
    },
    async (req) => getForecast(ctxOf(req), req.query),
  );
  app.get("/api/v1/targets/:id", { schema: { tags: ["targets"], summary: "One target with its progress and the targets broken down from it", params: IdParams, response: { 200: TargetDetailSchema, ...errors } } }, async (req, reply) => {
    const target = await getTarget(ctxOf(req), req.params.id);
    setEtag(reply, target.version);
    return target;
  });
  app.patch(
    "/api/v1/targets/:id",
    { schema: { tags: ["targets"], summary: "Change a target's amount, notes or parent (If-Match or version required)", params: IdParams, body: TargetUpdateSchema, response: { 200: TargetSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const target = await updateTarget(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, target.version);
      return target;
    },
  );
  app.delete("/api/v1/targets/:id", { schema: { tags: ["targets"], summary: "Delete a target that is not broken down", params: IdParams, response: NoContent } }, async (req, reply) => {
    await deleteTarget(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.post(
    "/api/v1/targets/:id/breakdown",
    {
      schema: {
        tags: ["targets"],
        summary: "Break a target down to departments, teams or people in one go: each gets (or has changed) its target under this one; all of them together may not exceed it, else nothing is written (400)",
        params: IdParams,
        body: BreakdownSchema,
        response: { 200: TargetDetailSchema, ...errors },
      },
    },
    async (req) => breakDownTarget(ctxOf(req), req.params.id, req.body.children),
  );
}
