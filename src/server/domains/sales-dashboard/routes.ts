import { ctxOf, errors, type App } from "../../lib/http.js";
import { DashboardQuerySchema, SalesDashboardSchema } from "./contracts.js";
import { getSalesDashboard } from "./dashboard.js";
import "./policy.js";

/** The sales dashboard's figures. */
export function salesDashboardRoutes(app: App): void {
  app.get(
    "/api/v1/sales-dashboard",
    {
      schema: {
        tags: ["sales-dashboard"],
        summary:
          "Sales figures over the records I may see, for a date range: lead conversion, win rate, sales cycle, pipeline by stage, receivables ageing, target attainment, orders and payments by month (base currency; pre-aggregated)",
        querystring: DashboardQuerySchema,
        response: { 200: SalesDashboardSchema, ...errors },
      },
    },
    async (req) => getSalesDashboard(ctxOf(req), req.query),
  );
}
