import { z } from "zod";
import { TargetSchema } from "../targets/index.js";

const Amount = z.string().meta({ description: "Exact amount in the base currency, 2 decimals", example: "125000.00" });
const Totals = z.object({ count: z.number().int(), amount: Amount, weighted: Amount });

export const DashboardQuerySchema = z.object({
  from: z.iso.date().optional().meta({ description: "Inclusive; default the first day of the year of `to`" }),
  to: z.iso.date().optional().meta({ description: "Inclusive; default today" }),
  periodType: z.enum(["month", "quarter", "year"]).optional().meta({ description: "Targets of this period containing `to` (default month)" }),
  pipelineId: z.uuid().optional(),
});

export const SalesDashboardSchema = z
  .object({
    range: z.object({ from: z.string(), to: z.string() }),
    currency: z.string().meta({ description: "The base currency: every amount is in it" }),
    totals: z.object({ orders: z.number().int(), amount: Amount, payments: Amount }).nullable().meta({ description: "Accepted orders (by order date) and money received (by received date) in the range" }),
    months: z.array(z.object({ month: z.string(), orders: z.number().int(), amount: Amount, payments: Amount })).nullable(),
    receivables: z
      .object({
        asOf: z.string(),
        total: Amount,
        overdue: Amount,
        buckets: z.object({ current: Amount, d1_30: Amount, d31_60: Amount, d61_90: Amount, d90_plus: Amount }),
      })
      .nullable(),
    conversion: z
      .object({ leads: z.number().int().meta({ description: "Leads created in the range" }), converted: z.number().int(), rate: z.number().nullable() })
      .nullable(),
    pipeline: z
      .object({
        stages: z.array(
          z.object({ pipelineId: z.uuid(), stageId: z.uuid(), name: z.string(), kind: z.enum(["open", "won", "lost"]), probability: z.number().int(), count: z.number().int(), amount: Amount, weighted: Amount }),
        ),
        won: Totals,
        lost: Totals,
        winRate: z.number().nullable().meta({ description: "won ÷ (won + lost) of the opportunities closed in the range" }),
        averageCycleDays: z.number().nullable().meta({ description: "Creation to closing of those won in the range" }),
        missingRates: z.array(z.string()),
      })
      .nullable(),
    targets: z.array(TargetSchema).nullable().meta({ description: "Targets I may see for the period containing `to`, with attainment" }),
  })
  .meta({ id: "SalesDashboard" });
