import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { normalisePhone } from "../customers/index.js";
import { LEAD_STATUSES } from "./schema.js";

const Name = z.string().trim().min(1).max(200);
const Short = z.string().trim().max(100);
const Long = z.string().trim().max(5000);
const RegionCode = z.string().regex(/^\d{2,6}$/);
const Tag = z.string().trim().min(1).max(50);

/** One phone number, as typed → E.164 (+8613800138000); "" clears it. */
export const LeadPhone = z
  .string()
  .max(40)
  .transform((v, c) => {
    if (v.trim() === "") return "";
    const e164 = normalisePhone(v);
    if (!e164) {
      c.addIssue({ code: "custom", message: "leads.phone_invalid", input: v });
      return z.NEVER;
    }
    return e164;
  })
  .meta({ description: "Normalised to E.164 (mainland numbers may be typed without +86)", example: "13800138000" });

/** One e-mail address, lower-cased; "" clears it. */
export const LeadEmail = z
  .string()
  .trim()
  .max(254)
  .transform((v) => v.normalize("NFKC").toLowerCase())
  .pipe(z.union([z.literal(""), z.email({ message: "leads.email_invalid" })]));

const leadFields = {
  name: Name.meta({ description: "The person's name (or the company's when no person is known yet)" }),
  company: Short.optional(),
  title: Short.optional(),
  phone: LeadPhone.optional(),
  email: LeadEmail.optional(),
  wechat: z.string().trim().max(100).optional(),
  source: Short.optional().meta({ description: "Where it came from: website, trade show, referral…" }),
  campaign: Short.optional(),
  provinceCode: RegionCode.nullable().optional(),
  cityCode: RegionCode.nullable().optional(),
  address: z.string().trim().max(500).optional(),
  productLine: Short.optional(),
  industry: Short.optional(),
  notes: Long.optional(),
  tags: z.array(Tag).max(50).optional(),
};

export const LeadCreateSchema = z.strictObject({
  ...leadFields,
  ownerId: z.uuid().optional().meta({ description: "Another user than oneself needs lead:manage. Left out: the creator keeps it if they may claim leads, else the assignment rules run" }),
  toPool: z.boolean().optional().meta({ description: "Hand it over: the assignment rules give it an owner; when none matches it goes to the lead pool" }),
});
export const LeadUpdateSchema = z.strictObject({ ...VersionField, ...leadFields, name: Name.optional() });
export type LeadCreateInput = z.infer<typeof LeadCreateSchema>;
export type LeadUpdateInput = Omit<z.infer<typeof LeadUpdateSchema>, "version">;

export const VersionBody = z.strictObject({ ...VersionField }).nullish();
export const FollowUpSchema = z.strictObject({ ...VersionField, note: z.string().trim().min(1).max(5000) });
export const LoseSchema = z.strictObject({ ...VersionField, lostReason: z.string().trim().min(1, { message: "leads.lost_reason_required" }).max(500) });
export const ReleaseSchema = z.strictObject({ reason: z.string().trim().max(500).optional() }).nullish();
export const AssignSchema = z.strictObject({ ...VersionField, userId: z.uuid() });

export const LeadSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    company: z.string(),
    title: z.string(),
    phone: z.string(),
    email: z.string(),
    wechat: z.string(),
    contactDetailsMasked: z.boolean().meta({ description: "In the pool, phone, e-mail and WeChat are masked without lead:manage" }),
    source: z.string(),
    campaign: z.string(),
    provinceCode: z.string().nullable(),
    cityCode: z.string().nullable(),
    address: z.string(),
    productLine: z.string(),
    industry: z.string(),
    notes: z.string(),
    status: z.enum(LEAD_STATUSES),
    ownerId: z.uuid().nullable().meta({ description: "null: in the lead pool" }),
    ownedSince: DateTime.nullable(),
    lastFollowUpAt: DateTime.nullable(),
    lostReason: z.string(),
    customerId: z.uuid().nullable(),
    contactId: z.uuid().nullable(),
    opportunityId: z.uuid().nullable(),
    convertedAt: DateTime.nullable(),
    assignedByRule: z.uuid().nullable(),
    tags: z.array(z.string()),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "Lead" });

const Money = z
  .string()
  .trim()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, { message: "errors.money_invalid" });

export const ConvertSchema = z.strictObject({
  ...VersionField,
  customer: z
    .union([
      z.strictObject({ existingId: z.uuid().meta({ description: "Link to this customer (e.g. one the duplicate check found) instead of creating one" }) }),
      z.strictObject({
        kind: z.enum(["organization", "individual"]).optional().meta({ description: "Default: organization when the lead names a company" }),
        name: Name.optional().meta({ description: "Default: the lead's company, else its name" }),
        shortName: Short.optional(),
        industry: Short.optional(),
        source: Short.optional(),
        provinceCode: RegionCode.nullable().optional(),
        cityCode: RegionCode.nullable().optional(),
        address: z.string().trim().max(500).optional(),
        website: z.string().trim().max(300).optional(),
        tags: z.array(Tag).max(50).optional(),
      }),
    ])
    .meta({ description: "A new customer prefilled from the lead, or an existing one" }),
  contact: z
    .strictObject({
      name: Name.optional().meta({ description: "Default: the lead's name" }),
      title: Short.optional(),
      department: Short.optional(),
      phone: LeadPhone.optional(),
      email: LeadEmail.optional(),
      wechat: z.string().trim().max(100).optional(),
    })
    .nullable()
    .optional()
    .meta({ description: "Left out: a contact prefilled from the lead (an individual customer's own contact stands for it); null: none" }),
  opportunity: z
    .strictObject({
      name: Name,
      amount: Money.optional(),
      currency: z.string().regex(/^[A-Z]{3}$/).optional(),
      expectedClose: z.iso.date().nullable().optional(),
      pipelineId: z.uuid().nullable().optional(),
    })
    .nullable()
    .optional(),
  allowDuplicate: z.boolean().optional().meta({ description: "Create the customer and contact although likely duplicates exist (only when the workspace warns)" }),
});
export type ConvertInput = z.infer<typeof ConvertSchema>;

export const ConvertResultSchema = z
  .object({ lead: LeadSchema, customerId: z.uuid(), contactId: z.uuid().nullable(), opportunityId: z.uuid().nullable() })
  .meta({ id: "LeadConversion" });

const ruleFields = {
  name: Name,
  position: z.number().int().min(0).max(100_000).optional().meta({ description: "Rules are tried in ascending position" }),
  provinceCodes: z.array(RegionCode).max(100).optional().meta({ description: "Empty: any province" }),
  productLines: z.array(Short).max(100).optional().meta({ description: "Empty: any product line" }),
  sources: z.array(Short).max(100).optional().meta({ description: "Empty: any source" }),
  userIds: z.array(z.uuid()).min(1).max(200).meta({ description: "Active members, given leads in turn (round robin)" }),
  active: z.boolean().optional(),
};
export const RuleCreateSchema = z.strictObject(ruleFields);
export const RuleUpdateSchema = z.strictObject({ ...VersionField, ...ruleFields, name: Name.optional(), userIds: ruleFields.userIds.optional() });
export type RuleCreateInput = z.infer<typeof RuleCreateSchema>;
export type RuleUpdateInput = Omit<z.infer<typeof RuleUpdateSchema>, "version">;

export const RuleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int(),
    provinceCodes: z.array(z.string()),
    productLines: z.array(z.string()),
    sources: z.array(z.string()),
    userIds: z.array(z.uuid()),
    nextIndex: z.number().int().meta({ description: "The position in userIds of the next user in turn" }),
    active: z.boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "LeadAssignmentRule" });

export const PoolSettingsSchema = z
  .object({
    dailyClaimLimit: z.number().int(),
    maxHeld: z.number().int(),
    reclaimNoFollowUpDays: z.number().int().nullable(),
    warnDays: z.number().int(),
    cooldownDays: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: "LeadPoolSettings" });

export const PoolSettingsUpdateSchema = z.strictObject({
  ...VersionField,
  dailyClaimLimit: z.number().int().min(0).max(10_000).optional().meta({ description: "Claims per person per day" }),
  maxHeld: z.number().int().min(0).max(1_000_000).optional().meta({ description: "Open leads (new, contacted, qualified) one person may hold before claiming more" }),
  reclaimNoFollowUpDays: z.number().int().min(1).max(3650).nullable().optional().meta({ description: "Owned open leads without a follow-up for this many days go back to the pool; null: never" }),
  warnDays: z.number().int().min(0).max(365).optional(),
  cooldownDays: z.number().int().min(0).max(365).optional().meta({ description: "Days before one may claim again a lead one released or lost to the pool" }),
});
export type PoolSettingsInput = Omit<z.infer<typeof PoolSettingsUpdateSchema>, "version">;
