import { and, desc, eq, sql } from "drizzle-orm";
import { can } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { notFound } from "../../lib/errors.js";
import { jobs } from "./schema.js";

export type JobView = Omit<typeof jobs.$inferSelect, "tenantId" | "input">;

const present = ({ tenantId: _t, input: _i, ...rest }: typeof jobs.$inferSelect): JobView => {
  // A resumable job keeps its checkpoint in result until it finishes; that is internal.
  if (rest.state !== "completed") return { ...rest, result: null };
  return rest;
};

/** A job is visible to the user who started it, and to holders of job:read. */
function visible(ctx: Ctx) {
  return can(ctx, "job:read") ? undefined : ctx.userId ? eq(jobs.createdBy, ctx.userId) : sql`false`;
}

export async function getJob(ctx: Ctx, id: string): Promise<JobView> {
  const [row] = await readTenant(ctx, (tx) => tx.select().from(jobs).where(and(eq(jobs.id, id), visible(ctx))));
  if (!row) throw notFound("job");
  return present(row);
}

export async function findRecentJobs(ctx: Ctx): Promise<JobView[]> {
  const rows = await readTenant(ctx, (tx) => tx.select().from(jobs).where(visible(ctx)).orderBy(desc(jobs.createdAt)).limit(50));
  return rows.map(present);
}
