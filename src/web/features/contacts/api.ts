import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, type Page } from "../../app/api.js";
import type { ContactRole, Email, Gender, Phone } from "../customers/api.js";

export interface ContactCustomerLink {
  customerId: string;
  name: string;
  code: string;
  role: ContactRole;
  isPrimary: boolean;
}

export interface Contact {
  id: string;
  name: string;
  gender: Gender | null;
  title: string;
  department: string;
  birthday: string | null;
  wechat: string;
  phones: Phone[];
  emails: Email[];
  notes: string;
  ownerId: string | null;
  tags: string[];
  /** An individual customer's own contact: edited through the customer. */
  isSelf: boolean;
  /** Phones and e-mails are masked: the contact belongs to a pool customer. */
  contactDetailsMasked: boolean;
  /** Custom field values by key. */
  custom: Record<string, unknown>;
  customers: ContactCustomerLink[];
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  version: number;
}

export interface ContactInput {
  name: string;
  gender?: Gender | null;
  title?: string;
  department?: string;
  birthday?: string | null;
  wechat?: string;
  phones?: { label: Phone["label"]; number: string }[];
  emails?: { label: Email["label"]; address: string }[];
  notes?: string;
  ownerId?: string | null;
  tags?: string[];
  customers?: { customerId: string; role: ContactRole; isPrimary: boolean }[];
  /** Only the keys that change; null clears one. */
  custom?: Record<string, unknown>;
  allowDuplicate?: boolean;
}
export type ContactUpdateInput = Partial<ContactInput> & { version: number };

export type ContactSort = "name" | "-name" | "createdAt" | "-createdAt" | "updatedAt" | "-updatedAt";

export interface ContactFilters {
  q?: string;
  sort?: ContactSort;
  ownerId?: string;
  customerId?: string;
  tag?: string[];
}

export const contactsKey = ["contacts"] as const;
const PAGE_SIZE = 50;

export function useContacts(f: ContactFilters) {
  return useInfiniteQuery({
    queryKey: [...contactsKey, "list", f],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Contact>>(
        "/api/v1/contacts",
        {
          limit: PAGE_SIZE,
          cursor: pageParam,
          q: f.q?.trim(),
          sort: f.sort ?? "-updatedAt",
          filter: [
            filter("ownerId", "eq", f.ownerId),
            filter("customerId", "eq", f.customerId),
            !f.tag?.length ? undefined : f.tag.length === 1 ? filter("tag", "eq", f.tag[0]) : filter("tag", "in", f.tag.join("|")),
          ],
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export const contactKey = (id: string) => [...contactsKey, "one", id] as const;

/** One contact. `fresh`: ask the server again even when cached (an editor needs the latest version). */
export function useContact(id: string | null | undefined, opts: { fresh?: boolean } = {}) {
  return useQuery({
    queryKey: contactKey(id ?? ""),
    queryFn: ({ signal }) => api.get<Contact>(`/api/v1/contacts/${id}`, undefined, signal),
    enabled: Boolean(id),
    ...(opts.fresh ? { staleTime: 0 } : {}),
  });
}

export const createContact = (input: ContactInput) => api.post<Contact>("/api/v1/contacts", input);
export const updateContact = (id: string, input: ContactUpdateInput) => api.patch<Contact>(`/api/v1/contacts/${id}`, input);
export const deleteContact = (id: string) => api.delete(`/api/v1/contacts/${id}`);
export const restoreContact = (id: string) => api.post<Contact>(`/api/v1/contacts/${id}/restore`);

export function useContactTrash(enabled = true) {
  return useInfiniteQuery({
    queryKey: [...contactsKey, "trash"],
    queryFn: ({ pageParam, signal }) => api.get<Page<Contact>>("/api/v1/contacts/trash", { limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}
