import { defineObject } from "../../lib/access.js";

/**
 * Payments (回款) and invoices are sales objects: reps record payments and
 * invoices for the orders they can see; voiding one (money that was recorded
 * but never arrived, an invoice cancelled) is kept to managers and admins —
 * `void` is not among the actions a system sales role derives.
 */
export const paymentObject = defineObject("payment", "sales", ["read", "create", "export", "void"]);
export const invoiceObject = defineObject("invoice", "sales", ["read", "create", "void"]);
