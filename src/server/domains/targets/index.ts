// What other domains (the sales dashboard) may use of targets.
import "./messages.js";

export { actualsByOwner, periodOf, type Period, type PeriodType, type TargetMetric } from "./actuals.js";
export { targetObject, targetVisible } from "./policy.js";
export { salesTargets } from "./schema.js";
export { findTargets, listTargets, type TargetView } from "./targets.js";
export { TargetSchema } from "./contracts.js";
