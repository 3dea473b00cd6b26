import { z } from "zod";
import { ctxOf, errors, type App } from "../../../lib/http.js";
import { PairDismissSchema, PairListQuerySchema, PairPageSchema, ScanCreateSchema, ScanListQuerySchema, ScanSchema } from "./contracts.js";
import { dismissPair, listPairs } from "./pairs.js";
import { listScans, startScan } from "./scan.js";

/** The duplicate scan and its review queue (merging is exchange/merge). */
export function dedupRoutes(app: App): void {
  app.post(
    "/api/v1/duplicates/scans",
    {
      schema: {
        tags: ["duplicates"],
        summary: "Scan the workspace's customers or contacts for probable duplicates, as a job; the pairs go to the review queue",
        body: ScanCreateSchema,
        response: { 202: ScanSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(202).send(await startScan(ctxOf(req), req.body.objectType)),
  );
  app.get(
    "/api/v1/duplicates/scans",
    { schema: { tags: ["duplicates"], summary: "Recent duplicate scans, newest first", querystring: ScanListQuerySchema, response: { 200: z.object({ items: z.array(ScanSchema) }), ...errors } } },
    async (req) => ({ items: await listScans(ctxOf(req), req.query.objectType) }),
  );
  app.get(
    "/api/v1/duplicates/pairs",
    {
      schema: {
        tags: ["duplicates"],
        summary: "The review queue: probable duplicate pairs by score (highest first) with both records and the reasons; only pairs whose two records you can see",
        querystring: PairListQuerySchema,
        response: { 200: PairPageSchema, ...errors },
      },
    },
    async (req) => listPairs(ctxOf(req), req.query),
  );
  app.post(
    "/api/v1/duplicates/pairs/dismiss",
    { schema: { tags: ["duplicates"], summary: "Not duplicates: the pair stays dismissed in later scans", body: PairDismissSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await dismissPair(ctxOf(req), req.body);
      return reply.code(204).send(null);
    },
  );
}
