import { defineObject, recordPolicy } from "../../lib/access.js";
import { orders } from "./schema.js";

/**
 * Orders are sales objects: sales reps read, create, update and export their
 * own (visibility by owner); managers those of their department.
 */
export const orderObject = defineObject("order", "sales", ["read", "create", "update", "export"]);

export const orderAccess = recordPolicy("order", orders.ownerId);
