import { defineObject, recordPolicy } from "../../lib/access.js";
import { quotes } from "./schema.js";

/** Quotes are sales objects: sales reps work on their own (visibility by owner), managers on their department's. */
export const quoteObject = defineObject("quote", "sales", ["read", "create", "update", "delete", "export"]);

export const quoteAccess = recordPolicy("quote", quotes.ownerId);
