// What other domains may use of payments.
export { getPaymentRecord, getReceivables } from "./receivables.js";
export { invoiceObject, paymentObject } from "./policy.js";
export { paymentAllocations, paymentInstalments, payments, invoices } from "./schema.js";
export { createPayment, voidPayment } from "./payments.js";
