// Every domain's tables, for drizzle-kit and the typed client.
export * from "../domains/identity/schema.js";
export * from "../domains/workspaces/schema.js";
export * from "../domains/audit/schema.js";
export * from "../domains/jobs/schema.js";
export * from "../domains/customers/schema.js";
export * from "../domains/notifications/schema.js";
export * from "../domains/timeline/schema.js";
export * from "../domains/tasks/schema.js";
export * from "../domains/views/schema.js";
export * from "../domains/exchange/schema.js";
export * from "../domains/products/schema.js";
export * from "../domains/orders/schema.js";
export * from "../domains/approvals/schema.js";
export * from "../domains/leads/schema.js";
export * from "../domains/opportunities/schema.js";
export * from "../domains/payments/schema.js";
export * from "../domains/quotes/schema.js";
