import { useInfiniteQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export const ACTIVITY_KINDS = ["call", "visit", "meeting", "email", "im", "note"] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number] | "system";

export interface Attachment {
  id: string;
  filename: string;
  mime: string;
  size: number;
}

/** One timeline entry (the server's Activity). */
export interface Activity {
  id: string;
  customerId: string | null;
  contactId: string | null;
  kind: ActivityKind;
  channel: string;
  occurredAt: string;
  durationMinutes: number | null;
  place: string;
  subject: string;
  summary: string;
  participantUserIds: string[];
  participantContactIds: string[];
  mentionUserIds: string[];
  costAmount: string | null;
  discountAmount: string | null;
  gift: string;
  currency: string;
  nextFollowUpAt: string | null;
  sourceType: string | null;
  sourceId: string | null;
  /** The author. */
  ownerId: string | null;
  attachments: Attachment[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ActivityInput {
  customerId?: string | null;
  contactId?: string | null;
  kind: (typeof ACTIVITY_KINDS)[number];
  channel?: string;
  occurredAt: string;
  durationMinutes?: number | null;
  place?: string;
  subject?: string;
  summary?: string;
  participantUserIds?: string[];
  participantContactIds?: string[];
  mentionUserIds?: string[];
  costAmount?: string | null;
  discountAmount?: string | null;
  gift?: string;
  nextFollowUpAt?: string | null;
  attachmentIds?: string[];
}
export type ActivityUpdateInput = Partial<ActivityInput> & { version: number };

export interface TimelineTotals {
  entries: number;
  cost: string;
  discount: string;
}

export interface TimelinePage {
  items: Activity[];
  nextCursor: string | null;
  totals: TimelineTotals;
}

/** Whose timeline: a customer's (its own and its contacts' entries) or one contact's. */
export type TimelineOf = { customerId: string } | { contactId: string };

export const timelineKey = ["timeline"] as const;
const PAGE_SIZE = 30;

const pathOf = (of: TimelineOf) => ("customerId" in of ? `/api/v1/customers/${of.customerId}/timeline` : `/api/v1/contacts/${of.contactId}/timeline`);

export function useTimeline(of: TimelineOf) {
  return useInfiniteQuery({
    queryKey: [...timelineKey, of],
    queryFn: ({ pageParam, signal }) => api.get<TimelinePage>(pathOf(of), { limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const createActivity = (input: ActivityInput) => api.post<Activity>("/api/v1/activities", input);
export const updateActivity = (id: string, input: ActivityUpdateInput) => api.patch<Activity>(`/api/v1/activities/${id}`, input);
export const deleteActivity = (id: string) => api.delete(`/api/v1/activities/${id}`);
export const getActivity = (id: string) => api.get<Activity>(`/api/v1/activities/${id}`);

/** Stores one file for an entry that is about to be saved; its id goes into attachmentIds. */
export const uploadAttachment = (file: File) => api.upload<Attachment>("/api/v1/attachments", { filename: file.name }, file);

export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}`;
