import type { ImportObject } from "../mapping.js";
import { activityImport } from "./activity.js";
import { contactImport } from "./contact.js";
import { customerImport } from "./customer.js";
import { leadImport } from "./lead.js";
import { orderImport } from "./order.js";
import { productImport } from "./product.js";
import type { ImportObjectDef } from "./types.js";

/**
 * Every object an import can create, by name. A new one is a file beside
 * these implementing ImportObjectDef, added here and to IMPORT_OBJECTS in schema.ts.
 */
export const OBJECTS: Record<ImportObject, ImportObjectDef> = {
  customer: customerImport,
  contact: contactImport,
  product: productImport,
  lead: leadImport,
  activity: activityImport,
  order: orderImport,
};

export type { ImportObjectDef } from "./types.js";
