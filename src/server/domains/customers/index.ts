// What other domains may use of the customer master file.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { customers } from "./schema.js";

export { contactVisible, customerVisible } from "./policy.js";
export { contacts, customerContacts, customers } from "./schema.js";

/** A follow-up happened at `at`: the pool's no-follow-up clock restarts (never moves back). */
export async function touchFollowUp(tx: Tx, customerId: string, at: Date): Promise<void> {
  await tx
    .update(customers)
    .set({ lastFollowUpAt: sql`greatest(${customers.lastFollowUpAt}, ${at.toISOString()}::timestamptz)`, reclaimWarnedAt: null })
    .where(and(eq(customers.id, customerId), isNull(customers.deletedAt)));
}
export { createCustomer } from "./customers.js";
export { createContact } from "./contacts.js";
export type { ContactCreate, CustomerCreate } from "./contracts.js";
export { checkRegion } from "./regions.js";
export { maskEmail, maskPhone } from "./pool.js";
export { nationalDigits, normalisePhone } from "./validation.js";
// The search index, for the domains whose records the global search finds (leads).
export { writeIndex, type IndexDoc } from "./records.js";
