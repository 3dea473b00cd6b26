import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { TARGET_METRICS, TARGET_PERIODS, TARGET_SCOPES } from "./schema.js";

const Amount = z
  .string()
  .trim()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, { message: "targets.amount" })
  .meta({ description: "Base currency for amounts, a whole number for new_customers and won_deals", example: "500000" });
const Figure = z.string().meta({ description: "Exact decimal string (amounts with 2 decimals, counts whole)", example: "123456.78" });
const IsoDate = z.iso.date();
const Metric = z.enum(TARGET_METRICS);
const PeriodType = z.enum(TARGET_PERIODS);
const Scope = z.enum(TARGET_SCOPES);

const PeriodSchema = z.object({
  type: PeriodType,
  start: z.string().meta({ description: "First day" }),
  end: z.string().meta({ description: "Last day (inclusive)" }),
});

export const TargetCreateSchema = z.strictObject({
  metric: Metric,
  periodType: PeriodType,
  periodStart: IsoDate.meta({ description: "Any day of the period: stored as the first day of its month, quarter or year" }),
  scope: Scope,
  scopeId: z.uuid().optional().meta({ description: "The department, team or user; omitted for the company (the workspace)" }),
  amount: Amount,
  parentId: z.uuid().nullable().optional().meta({ description: "The target this one is broken down from: same metric and period, a scope above" }),
  notes: z.string().trim().max(1000).optional(),
});

export const TargetUpdateSchema = z.strictObject({
  ...VersionField,
  amount: Amount.optional(),
  parentId: z.uuid().nullable().optional(),
  notes: z.string().trim().max(1000).optional(),
});

export const BreakdownSchema = z.strictObject({
  children: z
    .array(z.strictObject({ scope: Scope.exclude(["company"]), scopeId: z.uuid(), amount: Amount, notes: z.string().trim().max(1000).optional() }))
    .max(500)
    .meta({ description: "Targets to set under this one (created, or changed when the scope already has one for this metric and period)" }),
});

export const TargetQuerySchema = z.object({
  metric: Metric.optional(),
  periodType: PeriodType.optional(),
  on: IsoDate.optional().meta({ description: "Targets of the periods containing this day (default today)" }),
  scope: Scope.optional(),
  parentId: z.uuid().optional(),
});

export const TargetSchema = z
  .object({
    id: z.uuid(),
    metric: Metric,
    periodType: PeriodType,
    periodStart: z.string(),
    period: PeriodSchema,
    scope: Scope,
    scopeId: z.uuid(),
    scopeName: z.string(),
    amount: Figure,
    parentId: z.uuid().nullable(),
    notes: z.string(),
    actual: Figure.meta({ description: "Achieved in the period so far (team: its members; department: its members and those below)" }),
    attainment: z.number().nullable().meta({ description: "actual ÷ amount, 4 decimals; null when the target is 0" }),
    childrenTotal: Figure.meta({ description: "What the targets broken down from this one add up to" }),
    childCount: z.number().int(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "Target" });

export const TargetDetailSchema = TargetSchema.extend({ children: z.array(TargetSchema) }).meta({ id: "TargetDetail" });

export const LeaderboardQuerySchema = z.object({
  metric: Metric.default("order_amount"),
  periodType: PeriodType.default("month"),
  on: IsoDate.optional(),
});

export const LeaderboardSchema = z
  .object({
    metric: Metric,
    period: PeriodSchema,
    currency: z.string(),
    items: z.array(
      z.object({
        rank: z.number().int(),
        userId: z.uuid(),
        name: z.string(),
        actual: Figure,
        target: Figure.nullable(),
        attainment: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: "TargetLeaderboard" });

export const ForecastQuerySchema = z.object({ periodType: PeriodType.default("month"), on: IsoDate.optional() });

const ForecastFigures = {
  openCount: z.number().int(),
  pipeline: Figure.meta({ description: "Open opportunities expected to close in the period" }),
  weighted: Figure.meta({ description: "Their amounts × probability (the opportunity's own, else its stage's)" }),
  actual: Figure.meta({ description: "Orders accepted so far in the period" }),
  projected: Figure.meta({ description: "actual + weighted" }),
  target: Figure.nullable(),
  projectedAttainment: z.number().nullable(),
};

export const ForecastSchema = z
  .object({
    period: PeriodSchema,
    currency: z.string(),
    missingRates: z.array(z.string()).meta({ description: "Currencies without a rate: their opportunities are counted but not in the amounts" }),
    items: z.array(z.object({ ownerId: z.uuid(), name: z.string(), ...ForecastFigures })),
    totals: z.object(ForecastFigures),
  })
  .meta({ id: "TargetForecast" });
