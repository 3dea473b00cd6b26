import { z } from "zod";
import { DateTime } from "../../lib/http.js";
import { Money } from "../customers/contracts.js";
import { ACTIVITY_KINDS } from "./schema.js";

/** What a timeline entry takes (the API's body; imports check their rows against it too). */
export const activityFields = {
  customerId: z.uuid().nullable().optional(),
  contactId: z.uuid().nullable().optional().meta({ description: "Without customerId: filed under the contact's primary customer" }),
  kind: z.enum(ACTIVITY_KINDS.filter((k) => k !== "system") as ["call", "visit", "meeting", "email", "im", "note"]),
  channel: z.string().trim().max(50).optional(),
  occurredAt: DateTime,
  durationMinutes: z.number().int().min(0).max(100000).nullable().optional(),
  place: z.string().trim().max(300).optional(),
  subject: z.string().trim().max(300).optional(),
  summary: z.string().trim().max(20000).optional(),
  participantUserIds: z.array(z.uuid()).max(50).optional(),
  participantContactIds: z.array(z.uuid()).max(50).optional(),
  mentionUserIds: z.array(z.uuid()).max(50).optional().meta({ description: "Colleagues @mentioned: each gets a notification" }),
  costAmount: Money.nullable().optional().meta({ description: "Money spent on the contact (meals, travel…)" }),
  discountAmount: Money.nullable().optional().meta({ description: "Discounts granted" }),
  gift: z.string().trim().max(300).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  nextFollowUpAt: DateTime.nullable().optional().meta({ description: "Creates a follow-up task for the author, due then" }),
  attachmentIds: z.array(z.uuid()).max(20).optional().meta({ description: "Ids from POST /api/v1/attachments" }),
};

export const ActivityCreateSchema = z.strictObject(activityFields);
