import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, type Ctx } from "../../lib/context.js";
import { AppError, conflict, invalid } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { contacts, createContact, createCustomer, customerContacts, customers, customerVisible, type ContactCreate, type CustomerCreate } from "../customers/index.js";
import { addOpportunity } from "../opportunities/index.js";
import type { ConvertInput } from "./contracts.js";
import { loadLead, OPEN_STATUSES, presentLead, requireStatus, type LeadRow, type LeadView } from "./leads.js";
import { leads } from "./schema.js";
import { indexLead } from "./search-index.js";

export interface Conversion {
  lead: LeadView;
  customerId: string;
  contactId: string | null;
  opportunityId: string | null;
}

/**
 * The duplicate check of the customer and contact services, named for a
 * conversion: which part found duplicates, and for a customer that it may
 * be converted onto one of them (customer.existingId).
 */
async function checked<T>(part: "customer" | "contact", fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.code === "CONFLICT" && err.details.reason === "duplicate") {
      const key = err.messageKey === "errors.duplicate_blocked" ? "leads.duplicate_blocked" : `leads.duplicate_${part}`;
      throw new AppError("CONFLICT", key, { object: part }, { ...err.details, part });
    }
    throw err;
  }
}

/** The customer a conversion creates, prefilled from the lead; the input's values win. */
function newCustomer(lead: LeadRow, given: Exclude<ConvertInput["customer"], { existingId: string }>, ownerId: string, allowDuplicate: boolean | undefined): CustomerCreate {
  const kind = given.kind ?? (lead.company ? "organization" : "individual");
  const provinceCode = given.provinceCode !== undefined ? given.provinceCode : lead.provinceCode;
  // An individual is the lead's person: their phone and e-mail are the customer's (and its own contact's).
  const personal = kind === "individual";
  return {
    kind,
    name: given.name ?? (kind === "organization" ? lead.company || lead.name : lead.name),
    shortName: given.shortName,
    source: given.source ?? lead.source,
    industry: given.industry ?? lead.industry,
    provinceCode,
    cityCode: given.cityCode !== undefined ? given.cityCode : given.provinceCode !== undefined ? null : lead.cityCode,
    address: given.address ?? lead.address,
    website: given.website,
    tags: given.tags ?? lead.tags,
    remarks: lead.notes,
    ownerId,
    phones: personal && lead.phone ? [{ label: "mobile", number: lead.phone }] : [],
    emails: personal && lead.email ? [{ label: "work", address: lead.email }] : [],
    allowDuplicate,
  };
}

async function selfContactOf(tx: Tx, customerId: string): Promise<string | null> {
  const [link] = await tx
    .select({ id: customerContacts.contactId })
    .from(customerContacts)
    .innerJoin(contacts, and(eq(contacts.tenantId, customerContacts.tenantId), eq(contacts.id, customerContacts.contactId)))
    .where(and(eq(customerContacts.customerId, customerId), eq(contacts.isSelf, true)));
  return link?.id ?? null;
}

/**
 * Converts a lead in one transaction: a new customer prefilled from the
 * lead (or an existing one the actor may see), a contact linked to it, and
 * optionally an opportunity; the lead is marked converted with the three
 * ids. The customer and contact services run the workspace's duplicate
 * check: likely duplicates answer 409 with them (details.duplicates,
 * details.part) and nothing is created, so the user may convert onto the
 * existing customer or confirm (allowDuplicate). Any failure rolls back
 * everything; a lead is converted once.
 */
export async function convertLead(ctx: Ctx, id: string, version: ExpectedVersion, input: ConvertInput): Promise<Conversion> {
  requireAccess(ctx, "lead:update");
  return inTenant(ctx, async (tx) => {
    // The lead's lock first: a second conversion waits here, then finds it converted.
    const lead = checkVersion(await loadLead(tx, ctx, id, true), version, "lead");
    if (lead.status === "converted") throw conflict("leads.already_converted", { reason: "converted", customerId: lead.customerId, contactId: lead.contactId, opportunityId: lead.opportunityId });
    requireStatus(lead, OPEN_STATUSES, "convert");
    if (lead.ownerId === null) throw conflict("leads.claim_first", { reason: "in_pool" });
    const ownerId = lead.ownerId;

    let customerId: string;
    let kind: "organization" | "individual";
    const existing = "existingId" in input.customer;
    if ("existingId" in input.customer) {
      const [found] = await tx
        .select({ id: customers.id, kind: customers.kind })
        .from(customers)
        .where(and(eq(customers.id, input.customer.existingId), isNull(customers.deletedAt), customerVisible(ctx)));
      if (!found) throw invalid("errors.not_found", { object: "customer" }, { field: "customer.existingId" });
      customerId = found.id;
      kind = found.kind;
    } else {
      const data = newCustomer(lead, input.customer, ownerId, input.allowDuplicate);
      const created = await checked("customer", () => createCustomer(ctx, data, tx));
      customerId = created.id;
      kind = created.kind;
    }

    let contactId: string | null = null;
    if (input.contact === undefined && kind === "individual" && !existing) {
      // The individual customer's own contact is the lead's person.
      contactId = await selfContactOf(tx, customerId);
    } else if (input.contact !== null) {
      const given = input.contact ?? {};
      const phone = given.phone ?? lead.phone;
      const email = given.email ?? lead.email;
      const data: ContactCreate = {
        name: given.name ?? lead.name,
        title: given.title ?? lead.title,
        department: given.department,
        wechat: given.wechat ?? lead.wechat,
        phones: phone ? [{ label: "mobile", number: phone }] : [],
        emails: email ? [{ label: "work", address: email }] : [],
        ownerId,
        customers: [{ customerId, role: "decision_maker", isPrimary: !existing }],
        allowDuplicate: input.allowDuplicate,
      };
      contactId = (await checked("contact", () => createContact(ctx, data, tx))).id;
    }

    let opportunityId: string | null = null;
    if (input.opportunity) {
      const o = input.opportunity;
      opportunityId = (
        await addOpportunity(tx, ctx, {
          name: o.name,
          customerId,
          contactId,
          ownerId,
          amount: o.amount,
          currency: o.currency,
          expectedClose: o.expectedClose ?? null,
          source: lead.source,
          leadId: lead.id,
          pipelineId: o.pipelineId ?? null,
        })
      ).id;
    }

    const now = new Date();
    const [row] = await tx
      .update(leads)
      .set({ status: "converted", customerId, contactId, opportunityId, convertedAt: now, reclaimWarnedAt: null, version: lead.version + 1, updatedAt: now })
      .where(eq(leads.id, id))
      .returning();
    // Kept in the index as converted, which the search leaves out.
    await indexLead(tx, ctx, row!);
    await recordEvent(tx, ctx, {
      action: "lead.converted",
      objectType: "lead",
      objectId: id,
      before: presentLead(ctx, lead, true),
      after: presentLead(ctx, row!, true),
      data: { customerId, contactId, opportunityId, existingCustomer: existing },
    });
    return { lead: presentLead(ctx, row!), customerId, contactId, opportunityId };
  });
}
