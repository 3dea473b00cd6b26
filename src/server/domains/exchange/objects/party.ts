import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "../../../db/client.js";
import { findDuplicates } from "../../customers/records.js";
import { customers } from "../../customers/schema.js";
import { hasCjk } from "../../customers/text.js";
import type { ImportField } from "../mapping.js";
import type { DuplicateKey } from "../schema.js";

/** What customers and contacts (the master file) share: fields, words, and the duplicate check of the customer services. */

export const GENDER_WORDS = { male: ["男", "先生", "m"], female: ["女", "女士", "f"], other: ["其他", "未知"] };

export const PARTY_FIELDS: ImportField[] = [
  { key: "phones", type: "phone", multi: true },
  { key: "emails", type: "email", multi: true },
  { key: "tags", type: "tags", multi: true },
  { key: "owner", type: "user" },
];


const REASON_KEY = { credit_code: "creditCode", phone: "phone", email: "email", name: "name" } as const;

/**
 * The first record of this kind the master file's duplicate check finds for
 * the row (credit code, phones, e-mails, name: across the workspace, also
 * records the importer cannot open), by one of the chosen keys.
 */
export async function partyDuplicate(tx: Tx, objectType: "customer" | "contact", input: Record<string, unknown>, keys: readonly DuplicateKey[]): Promise<string | undefined> {
  const phones = ((input.phones as { number: string }[] | undefined) ?? []).map((p) => p.number);
  const emails = ((input.emails as { address: string }[] | undefined) ?? []).map((e) => e.address);
  const probe = { objectType, name: input.name as string, creditCode: (input.creditCode as string | undefined) ?? null, phones, emails };
  const matches = (await findDuplicates(tx, probe)).filter((d) => d.objectType === objectType && d.reasons.some((r) => keys.includes(REASON_KEY[r])));
  return matches[0]?.id;
}

/** A live customer by its code. */
export async function customerByCode(tx: Tx, code: string): Promise<string | undefined> {
  const [row] = await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.code, code), isNull(customers.deletedAt)));
  return row?.id;
}

/** A person's name from its parts when the file has no whole name: 张 + 三 → 张三; John + Smith → John Smith. */
export function joinName(values: Record<string, unknown>): void {
  if (!values.name && (values.familyName || values.givenName)) {
    const [family, given] = [String(values.familyName ?? ""), String(values.givenName ?? "")];
    values.name = hasCjk(family + given) ? family + given : [given, family].filter(Boolean).join(" ");
  }
  delete values.familyName;
  delete values.givenName;
}
