import { AppError } from "../../lib/errors.js";
import { requireAccess } from "../../lib/access.js";
import type { Ctx } from "../../lib/context.js";
import { translate } from "../../lib/i18n.js";
import { deleteCustomer, updateCustomer } from "./customers.js";
import { releaseCustomer } from "./pool.js";

export type BulkAction =
  | { action: "assign"; ownerId: string }
  | { action: "addTags"; tags: string[] }
  | { action: "removeTags"; tags: string[] }
  | { action: "grade"; grade: "A" | "B" | "C" | null }
  | { action: "stage"; lifecycleStage: "prospect" | "new" | "repeat" | "loyal" | "at_risk" | "churned" }
  | { action: "release"; poolId?: string }
  | { action: "delete" };

export interface BulkResult {
  done: number;
  failed: { id: string; code: string; message: string }[];
}

/**
 * One action on many customers (list selection). Each customer is its own
 * transaction with its own checks and audit event: one that may not be
 * changed (gone, not visible, in the pool…) is reported, the rest proceed.
 */
export async function bulkCustomers(ctx: Ctx, ids: string[], op: BulkAction): Promise<BulkResult> {
  requireAccess(ctx, op.action === "delete" ? "customer:delete" : op.action === "release" ? "pool:claim" : "customer:update");
  const result: BulkResult = { done: 0, failed: [] };
  for (const id of [...new Set(ids)]) {
    try {
      switch (op.action) {
        case "assign":
          await updateCustomer(ctx, id, "any", { ownerId: op.ownerId });
          break;
        case "addTags":
          await updateCustomer(ctx, id, "any", (c) => ({ tags: [...new Set([...c.tags, ...op.tags])] }));
          break;
        case "removeTags":
          await updateCustomer(ctx, id, "any", (c) => ({ tags: c.tags.filter((t) => !op.tags.includes(t)) }));
          break;
        case "grade":
          await updateCustomer(ctx, id, "any", { grade: op.grade });
          break;
        case "stage":
          await updateCustomer(ctx, id, "any", { lifecycleStage: op.lifecycleStage });
          break;
        case "release":
          await releaseCustomer(ctx, id, { poolId: op.poolId });
          break;
        case "delete":
          await deleteCustomer(ctx, id);
          break;
      }
      result.done++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result.failed.push({ id, code: err.code, message: translate(ctx.locale, err.messageKey, err.params) });
    }
  }
  return result;
}
