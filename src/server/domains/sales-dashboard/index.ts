// What other domains may use of the sales dashboard: its roll-up tables and the figures read from them.
export { salesDaily, salesOpenDues } from "./schema.js";
export { getSalesDashboard } from "./dashboard.js";
export { salesDashboardObject } from "./policy.js";
