import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import type { ExpectedVersion } from "../../lib/versioning.js";
import type { MoveInput } from "./contracts.js";
import "./messages.js";
import { customerName, linesOf, lockOpportunity, missingFields, openHistory, present, rankFor, refuseMissing, stateOf, type OpportunityView } from "./opportunities.js";
import { opportunityAccess } from "./policy.js";
import { opportunities, opportunityStageHistory, pipelineStages } from "./schema.js";

/**
 * The kanban drag and drop: moves an opportunity to a stage of its pipeline
 * and/or to a place in the column. Entering a stage checks the fields it
 * requires; a won or lost stage closes the opportunity (a lost one needs a
 * reason in the same call), leaving one reopens it. Each change of stage
 * closes the current history row and opens the next.
 */
export async function moveOpportunity(ctx: Ctx, id: string, version: ExpectedVersion, input: MoveInput): Promise<OpportunityView> {
  requireAccess(ctx, "opportunity:update");
  return inTenant(ctx, async (tx) => {
    const current = await lockOpportunity(tx, ctx, id, version);
    const [stage] = await tx.select().from(pipelineStages).where(eq(pipelineStages.id, input.stageId));
    if (!stage || stage.pipelineId !== current.pipelineId) throw invalid("opportunities.stage_not_in_pipeline", {}, { field: "stageId" });
    const lines = await linesOf(tx, id);
    const before = present(current, await customerName(tx, current.customerId), lines);
    const entering = stage.id !== current.stageId;
    const now = new Date();
    let changes: Partial<typeof opportunities.$inferInsert> = {};
    if (entering) {
      const missing = missingFields(stage, stateOf(current, lines.length));
      if (missing.length) refuseMissing(ctx, stage, missing);
      if (stage.kind === "lost" && !input.lossReason) throw invalid("opportunities.loss_reason_required", {}, { field: "lossReason" });
      changes = {
        stageId: stage.id,
        stageEnteredAt: now,
        status: stage.kind,
        closedAt: stage.kind === "open" ? null : now,
        winReason: stage.kind === "won" ? (input.winReason ?? "") : "",
        lossReason: stage.kind === "lost" ? input.lossReason! : "",
      };
      await tx
        .update(opportunityStageHistory)
        .set({ leftAt: now })
        .where(and(eq(opportunityStageHistory.opportunityId, id), isNull(opportunityStageHistory.leftAt)));
      await openHistory(tx, ctx, id, stage.id, now);
    }
    const rank = entering || input.rank !== undefined ? await rankFor(tx, ctx, stage.id, input.rank, id) : current.rank;
    const [row] = await tx
      .update(opportunities)
      .set({ ...changes, rank, version: current.version + 1, updatedAt: now })
      .where(eq(opportunities.id, id))
      .returning();
    const after = present(row!, before.customerName, lines);
    await recordEvent(tx, ctx, {
      action: entering ? "opportunity.stage_changed" : "opportunity.reordered",
      objectType: "opportunity",
      objectId: id,
      before,
      after,
      data: entering ? { from: current.stageId, to: stage.id, fromStatus: current.status, toStatus: stage.kind } : { stageId: stage.id },
    });
    return after;
  });
}

export interface HistoryItem {
  seq: number;
  stageId: string;
  stageName: string;
  kind: "open" | "won" | "lost" | null;
  enteredAt: Date;
  leftAt: Date | null;
  days: number;
  actorId: string | null;
}

/** The stages an opportunity went through, oldest first, with the days spent in each (until now for the current one). */
export async function getOpportunityHistory(ctx: Ctx, id: string): Promise<{ items: HistoryItem[] }> {
  requireAccess(ctx, "opportunity:read");
  return readTenant(ctx, async (tx) => {
    const [visible] = await tx
      .select({ id: opportunities.id })
      .from(opportunities)
      .where(and(eq(opportunities.id, id), isNull(opportunities.deletedAt), opportunityAccess.visible(ctx)));
    if (!visible) throw notFound("opportunity");
    const rows = await tx
      .select({
        seq: opportunityStageHistory.seq,
        stageId: opportunityStageHistory.stageId,
        stageName: sql<string>`coalesce(${pipelineStages.name}, '')`,
        kind: pipelineStages.kind,
        enteredAt: opportunityStageHistory.enteredAt,
        leftAt: opportunityStageHistory.leftAt,
        days: sql<string>`round(extract(epoch from coalesce(${opportunityStageHistory.leftAt}, now()) - ${opportunityStageHistory.enteredAt}) / 86400, 2)`,
        actorId: opportunityStageHistory.actorId,
      })
      .from(opportunityStageHistory)
      .leftJoin(pipelineStages, and(eq(pipelineStages.tenantId, opportunityStageHistory.tenantId), eq(pipelineStages.id, opportunityStageHistory.stageId)))
      .where(eq(opportunityStageHistory.opportunityId, id))
      .orderBy(asc(opportunityStageHistory.seq));
    return { items: rows.map((r) => ({ ...r, days: Number(r.days) })) };
  });
}
