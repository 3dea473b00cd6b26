import { z } from "zod";
import { ctxOf, DateTime, errors, IdParams, type App } from "../../lib/http.js";
import { findRecentJobs, getJob } from "./jobs.js";

export const JobSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    state: z.enum(["queued", "running", "completed", "failed", "cancelled"]),
    progressDone: z.number().int(),
    progressTotal: z.number().int().nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    createdBy: z.uuid().nullable(),
    startedAt: DateTime.nullable(),
    finishedAt: DateTime.nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .meta({ id: "Job" });

export function jobRoutes(app: App): void {
  app.get("/api/v1/jobs", { schema: { tags: ["jobs"], summary: "Recent background jobs", response: { 200: z.object({ items: z.array(JobSchema) }), ...errors } } }, async (req) => ({
    items: await findRecentJobs(ctxOf(req)),
  }));
  app.get("/api/v1/jobs/:id", { schema: { tags: ["jobs"], summary: "A job's state and progress (poll it for a progress bar)", params: IdParams, response: { 200: JobSchema, ...errors } } }, async (req) =>
    getJob(ctxOf(req), req.params.id),
  );
}
