// What other domains may use of orders.
export { COUNTING, creditPosition } from "./credit.js";
export { orderAccess, orderObject } from "./policy.js";
export { orderLines, orders } from "./schema.js";
export { nextPaymentNumber, nextQuoteNumber } from "./settings.js";
export type { OrderStatus } from "./schema.js";
export { addOrder, priceDocument, type OrderLineInput, type OrderView } from "./orders.js";
export { lineAmounts, totalsOf } from "./amounts.js";
export type { Letterhead } from "./schema.js";
export { orderSettingsOf } from "./settings.js";
export { addImportedOrder, cancelImportedOrder, IMPORTED_ORDER_STATUSES, type ImportedOrderInput, type ImportedOrderStatus } from "./import-order.js";
export type { DeliveryAddress } from "./schema.js";
