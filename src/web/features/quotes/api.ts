import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, toSearch, type Page } from "../../app/api.js";
import type { Locale } from "../../i18n/index.js";
import type { OrderLine, OrderLineInput } from "../orders/api.js";

export const QUOTE_STATUSES = ["draft", "sent", "accepted", "rejected", "expired"] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** A quote line: the same shape and exact amounts as an order line (orders/amounts.ts prices both). */
export type QuoteLine = OrderLine;

export interface QuoteRevisionSummary {
  revision: number;
  total: string;
  currency: string;
  sentAt: string | null;
  sentTo: string;
  createdAt: string;
}

/** A quote with one revision's content (`revision`); `currentRevision` is the quote's latest. */
export interface Quote {
  id: string;
  number: string;
  customerId: string;
  customerName: string;
  contactId: string | null;
  opportunityId: string | null;
  ownerId: string;
  status: QuoteStatus;
  currentRevision: number;
  orderId: string | null;
  /** The approved discount approval of the current revision. */
  approvalId: string | null;
  /** A line's discount exceeds the workspace's threshold (single quote only). */
  approvalRequired?: boolean;
  acceptedAt: string | null;
  rejectedReason: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  revision: number;
  currency: string;
  quoteDate: string;
  validUntil: string | null;
  priceListId: string | null;
  paymentTerms: string;
  deliveryTerms: string;
  notes: string;
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  baseTotal: string;
  sentAt: string | null;
  sentTo: string;
  lines?: QuoteLine[];
  revisions?: QuoteRevisionSummary[];
}

interface QuoteHeader {
  contactId?: string | null;
  opportunityId?: string | null;
  /** A price list to use instead of the customer's; it must be in the quote's currency. */
  priceListId?: string | null;
  currency?: string;
  quoteDate?: string;
  validUntil?: string | null;
  paymentTerms?: string;
  deliveryTerms?: string;
  notes?: string;
}
export type QuoteInput = QuoteHeader & { customerId: string; lines: OrderLineInput[] };
export type QuoteUpdateInput = QuoteHeader & { lines?: OrderLineInput[]; version: number };

export interface SendInput {
  to: string;
  cc?: string[];
  message?: string;
  lang?: Locale;
}

export interface QuoteFilters {
  status?: QuoteStatus;
  customerId?: string;
  ownerId?: string;
  number?: string;
}

export const quotesKey = ["quotes"] as const;

export function useQuotes(f: QuoteFilters) {
  return useInfiniteQuery({
    queryKey: [...quotesKey, "list", f],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Quote>>(
        "/api/v1/quotes",
        {
          limit: 50,
          cursor: pageParam,
          sort: "-updatedAt",
          filter: [filter("status", "eq", f.status), filter("customerId", "eq", f.customerId), filter("ownerId", "eq", f.ownerId), filter("number", "contains", f.number?.trim())].filter(
            (x): x is string => Boolean(x),
          ),
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export const quoteKey = (id: string, revision?: number) => [...quotesKey, "one", id, revision ?? "current"] as const;

/** One quote: the current revision, or the one asked for. */
export function useQuote(id: string | null | undefined, revision?: number) {
  return useQuery<Quote>({
    queryKey: quoteKey(id ?? "", revision),
    queryFn: ({ signal }) => api.get<Quote>(`/api/v1/quotes/${id}`, revision ? { revision } : undefined, signal),
    enabled: Boolean(id),
    // Switching revisions keeps the page (no flash of a skeleton); another quote never shows this one's data.
    placeholderData: (previous: Quote | undefined) => (previous?.id === id ? previous : undefined),
  });
}

export const createQuote = (input: QuoteInput) => api.post<Quote>("/api/v1/quotes", input);
export const updateQuote = (id: string, input: QuoteUpdateInput) => api.patch<Quote>(`/api/v1/quotes/${id}`, input);
export const sendQuote = (id: string, version: number, input: SendInput) => api.post<Quote>(`/api/v1/quotes/${id}/send`, { version, ...input });
export const acceptQuote = (id: string, version: number) => api.post<Quote>(`/api/v1/quotes/${id}/accept`, { version });
export const rejectQuote = (id: string, version: number, reason: string) => api.post<Quote>(`/api/v1/quotes/${id}/reject`, { version, reason });
export const requestDiscountApproval = (id: string, version: number) => api.post<{ approvalId: string }>(`/api/v1/quotes/${id}/request-approval`, { version });

/** The URL of a revision's PDF (same origin: the session cookie goes along when it opens in a tab or a frame). */
export const quotePdfUrl = (id: string, revision: number, lang: Locale) => `/api/v1/quotes/${id}/pdf${toSearch({ revision, lang })}`;
