// What other domains may use of opportunities and pipelines.
import "./messages.js";

export { addOpportunity, type AddOpportunityInput } from "./opportunities.js";
export { pipelineSummary, type PipelineSummary, type StageSummary, type SummaryOptions } from "./queries.js";
export { opportunityAccess, opportunityObject, pipelineObject } from "./policy.js";
export { opportunities, opportunityProducts, opportunityStageHistory, pipelines, pipelineStages } from "./schema.js";
