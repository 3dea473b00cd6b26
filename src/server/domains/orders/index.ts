// What other domains may use of orders.
export { COUNTING, creditPosition } from "./credit.js";
export { orderAccess, orderObject } from "./policy.js";
export { orderLines, orders } from "./schema.js";
