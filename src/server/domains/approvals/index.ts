// What other domains may use of approvals (审批流): open a request in their own transaction, react to its decision.
export { onApprovalDecided, openApproval, pendingApprovalFor } from "./approvals.js";
export type { DecidedRequest, DecidedStatus, DecisionHandler, OpenApprovalInput, RequestView as ApprovalRequestView } from "./approvals.js";
export { approvalObject } from "./policy.js";
export { APPROVAL_KINDS, approvalRequests, type ApprovalKind, type ApprovalStep, type Approver } from "./schema.js";
