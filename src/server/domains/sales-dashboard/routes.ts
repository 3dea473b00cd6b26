import type { App } from "../../lib/http.js";

/** The sales dashboard's figures: built by the dashboard work. */
export function salesDashboardRoutes(_app: App): void {}
