import type { App } from "../../lib/http.js";

/** Sales targets (业绩目标): built by the targets work. */
export function targetRoutes(_app: App): void {}
