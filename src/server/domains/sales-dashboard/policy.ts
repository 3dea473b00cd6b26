import { defineObject } from "../../lib/access.js";

/** The sales dashboard: everyone in sales reads it, each over the records they may see (visibility by owner). */
export const salesDashboardObject = defineObject("sales_dashboard", "sales", ["read"]);
