// What other domains may use of leads.
export { leadObject, leadVisible } from "./policy.js";
export { leadAssignmentRules, leadMoves, leadPoolSettings, leads, LEAD_STATUSES } from "./schema.js";
