import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, type Page } from "../../app/api.js";
import type { OrderStatus } from "../orders/api.js";

export const PAYMENT_METHODS = ["bank_transfer", "cash", "cheque", "alipay", "wechat_pay", "acceptance_bill", "other"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const INVOICE_TYPES = ["vat_special", "vat_normal", "vat_electronic", "other"] as const;
export type InvoiceType = (typeof INVOICE_TYPES)[number];
export const INSTALMENT_STATUSES = ["paid", "partly_paid", "open", "overdue"] as const;
export type InstalmentStatus = (typeof INSTALMENT_STATUSES)[number];
export const AGEING_BUCKETS = ["current", "d1_30", "d31_60", "d61_90", "d90_plus"] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

/** Orders that are owed money: payments, plans and invoices apply to these (server: orders COUNTING). */
export const RECEIVABLE_STATUSES: OrderStatus[] = ["approved", "delivered", "completed"];

export interface Allocation {
  orderId: string;
  orderNumber: string;
  amount: string;
}

export interface Payment {
  id: string;
  number: string;
  customerId: string;
  customerName: string;
  amount: string;
  currency: string;
  receivedOn: string;
  method: PaymentMethod;
  reference: string;
  notes: string;
  voidedAt: string | null;
  voidReason: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  allocations?: Allocation[];
}

export interface PaymentInput {
  customerId: string;
  amount: string;
  currency: string;
  receivedOn: string;
  method?: PaymentMethod;
  reference?: string;
  notes?: string;
  /** Omitted: the customer's oldest open orders in this currency first. */
  allocations?: { orderId: string; amount: string }[];
}

export interface Instalment {
  seq: number;
  dueDate: string;
  amount: string;
  paid: string;
  paidOn: string | null;
  notes: string;
  status: InstalmentStatus;
  daysOverdue: number;
}
export interface InstalmentInput {
  dueDate: string;
  amount: string;
  notes?: string;
}

export type Ageing = Record<AgeingBucket | "total", string>;
export interface Receivables {
  asOf: string;
  currency: string;
  totals: Ageing;
  customers: (Ageing & { customerId: string; customerName: string })[];
}

export interface PaymentRecord {
  instalmentsDue: number;
  paidOnTime: number;
  paidLate: number;
  unpaid: number;
  onTimeRate: number | null;
  averageDaysLate: number | null;
  maxDaysLate: number | null;
  overdue: Ageing;
  currency: string;
}

export interface Invoice {
  id: string;
  orderId: string;
  customerId: string;
  type: InvoiceType;
  number: string;
  title: string;
  taxNumber: string;
  amount: string;
  taxAmount: string;
  issuedOn: string;
  voidedAt: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** In lists of invoices. */
  orderNumber?: string;
  customerName?: string;
}
export interface InvoiceInput {
  type: InvoiceType;
  number: string;
  title?: string;
  taxNumber?: string;
  amount: string;
  taxAmount?: string;
  issuedOn: string;
}

export interface PaymentFilters {
  customerId?: string;
  orderId?: string;
  method?: PaymentMethod;
  number?: string;
}

export const paymentsKey = ["payments"] as const;

export function usePayments(f: PaymentFilters, opts: { pageSize?: number; enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: [...paymentsKey, "list", f, opts.pageSize ?? 50],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Payment>>(
        "/api/v1/payments",
        {
          limit: opts.pageSize ?? 50,
          cursor: pageParam,
          sort: "-receivedOn",
          filter: [filter("customerId", "eq", f.customerId), filter("orderId", "eq", f.orderId), filter("method", "eq", f.method), filter("number", "contains", f.number?.trim())].filter(
            (x): x is string => Boolean(x),
          ),
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

export const createPayment = (input: PaymentInput) => api.post<Payment>("/api/v1/payments", input);
export const voidPayment = (id: string, version: number, reason: string) => api.post<Payment>(`/api/v1/payments/${id}/void`, { version, reason });

export const planKey = (orderId: string) => [...paymentsKey, "plan", orderId] as const;
export function usePaymentPlan(orderId: string) {
  return useQuery({
    queryKey: planKey(orderId),
    queryFn: async ({ signal }) => (await api.get<{ items: Instalment[] }>(`/api/v1/orders/${orderId}/payment-plan`, undefined, signal)).items,
  });
}
/** Replaces the order's plan; `version` is the order's. */
export const setPaymentPlan = (orderId: string, version: number, instalments: InstalmentInput[]) =>
  api.put<{ items: Instalment[] }>(`/api/v1/orders/${orderId}/payment-plan`, { version, instalments });

export function useReceivables(asOf: string | undefined) {
  return useQuery({
    queryKey: [...paymentsKey, "receivables", asOf ?? "today"],
    queryFn: ({ signal }) => api.get<Receivables>("/api/v1/receivables", { asOf, limit: 1000 }, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePaymentRecord(customerId: string) {
  return useQuery({
    queryKey: [...paymentsKey, "record", customerId],
    queryFn: ({ signal }) => api.get<PaymentRecord>(`/api/v1/customers/${customerId}/payment-record`, undefined, signal),
  });
}

export interface InvoiceFilters {
  customerId?: string;
  orderId?: string;
  type?: InvoiceType;
  number?: string;
}

export function useInvoices(f: InvoiceFilters, opts: { pageSize?: number } = {}) {
  return useInfiniteQuery({
    queryKey: [...paymentsKey, "invoices", f, opts.pageSize ?? 50],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Invoice>>(
        "/api/v1/invoices",
        {
          limit: opts.pageSize ?? 50,
          cursor: pageParam,
          sort: "-issuedOn",
          filter: [filter("customerId", "eq", f.customerId), filter("orderId", "eq", f.orderId), filter("type", "eq", f.type), filter("number", "contains", f.number?.trim())].filter(
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

export const createInvoice = (orderId: string, input: InvoiceInput) => api.post<Invoice>(`/api/v1/orders/${orderId}/invoices`, input);
export const voidInvoice = (id: string, version: number) => api.post<Invoice>(`/api/v1/invoices/${id}/void`, { version });
