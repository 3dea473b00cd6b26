import { requireAccess } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import { getPipeline, type PipelineView, type StageView } from "./pipelines.js";
import { boardCards, boardSums, type Totals } from "./queries.js";

type Card = Awaited<ReturnType<typeof boardCards>>[number];

export interface Board {
  pipeline: PipelineView;
  currency: string;
  missingRates: string[];
  columns: (Totals & { stage: StageView; cards: Omit<Card, "stageId">[] })[];
}

/** The kanban board of a pipeline: per stage the count and sums (base currency) and the first cards, of what the actor sees. */
export async function getBoard(ctx: Ctx, pipelineId: string, perColumn: number): Promise<Board> {
  requireAccess(ctx, "opportunity:read");
  const pipeline = await getPipeline(ctx, pipelineId);
  return readTenant(ctx, async (tx) => {
    const sums = await boardSums(tx, ctx, pipelineId);
    const cards = perColumn > 0 ? await boardCards(tx, ctx, pipelineId, perColumn) : [];
    return {
      pipeline,
      currency: sums.currency,
      missingRates: sums.missingRates,
      columns: pipeline.stages.map((stage) => ({
        stage,
        ...(sums.totals.get(stage.id) ?? { count: 0, amount: "0.00", weighted: "0.00" }),
        cards: cards.filter((c) => c.stageId === stage.id).map(({ stageId: _s, ...card }) => card),
      })),
    };
  });
}
