// What other domains may use of orders.
export { COUNTING, creditPosition } from "./credit.js";
export { orderAccess, orderObject } from "./policy.js";
export { orderLines, orders } from "./schema.js";
export { nextPaymentNumber } from "./settings.js";
export { localDate } from "./orders.js";
export type { OrderStatus } from "./schema.js";
