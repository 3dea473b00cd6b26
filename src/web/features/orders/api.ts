import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, isApiError, type Page } from "../../app/api.js";

export const ORDER_STATUSES = ["draft", "pending_approval", "approved", "delivered", "completed", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface DeliveryAddress {
  provinceCode?: string | null;
  cityCode?: string | null;
  districtCode?: string | null;
  address: string;
  recipient?: string;
  phone?: string;
}

export interface OrderLine {
  lineNo: number;
  productId: string | null;
  sku: string;
  name: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  discountRate: string;
  taxRate: string;
  grossAmount: string;
  discountAmount: string;
  taxAmount: string;
  amount: string;
}

export type CreditLimitKind = "credit_limit" | "sales_limit";

/** The figures of a submission's credit check (base currency). */
export interface CreditCheck {
  currency: string;
  orderAmount: string;
  outstanding: string;
  creditLimit: string | null;
  periodSales: string;
  salesLimit: string | null;
  exceeded: CreditLimitKind[];
  checkedAt: string;
}

export interface Order {
  id: string;
  number: string;
  customerId: string;
  customerName: string;
  contactId: string | null;
  ownerId: string;
  status: OrderStatus;
  currency: string;
  orderDate: string;
  expectedDelivery: string | null;
  channel: string;
  deliveryAddress: DeliveryAddress | null;
  paymentTerms: string;
  notes: string;
  priceListId: string | null;
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  baseTotal: string;
  paid: string;
  creditCheck: CreditCheck | null;
  approvalId: string | null;
  submittedAt: string | null;
  approvedAt: string | null;
  deliveredAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  lines?: OrderLine[];
}

export interface OrderLineInput {
  productId?: string | null;
  sku?: string;
  name?: string;
  unit?: string;
  quantity: string;
  unitPrice?: string;
  discountRate?: string;
  taxRate?: string;
}

export interface OrderInput {
  customerId: string;
  contactId?: string | null;
  currency?: string;
  orderDate?: string;
  expectedDelivery?: string | null;
  channel?: string;
  deliveryAddress?: DeliveryAddress | null;
  paymentTerms?: string;
  notes?: string;
  lines: OrderLineInput[];
}
export type OrderUpdateInput = Partial<Omit<OrderInput, "customerId">> & { version: number };

export interface CreditPosition {
  currency: string;
  creditLimit: string | null;
  outstanding: string;
  available: string | null;
  salesLimit: string | null;
  period: { from: string; to: string };
  periodSales: string;
}

export interface OrderSettings {
  numberPattern: string;
  creditMode: "block" | "approval";
  salesLimitPeriod: "month" | "quarter" | "year";
  version: number;
}

export interface OrderFilters {
  status?: OrderStatus;
  customerId?: string;
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  number?: string;
  sort?: string;
}

export const ordersKey = ["orders"] as const;
const PAGE_SIZE = 50;

export function useOrders(f: OrderFilters, opts: { enabled?: boolean; pageSize?: number } = {}) {
  return useInfiniteQuery({
    queryKey: [...ordersKey, "list", f, opts.pageSize ?? PAGE_SIZE],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Order>>(
        "/api/v1/orders",
        {
          limit: opts.pageSize ?? PAGE_SIZE,
          cursor: pageParam,
          sort: f.sort ?? "-orderDate",
          filter: [
            filter("status", "eq", f.status),
            filter("customerId", "eq", f.customerId),
            filter("orderDate", "gte", f.from),
            filter("orderDate", "lte", f.to),
            filter("number", "contains", f.number?.trim()),
          ].filter((x): x is string => Boolean(x)),
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

export const orderKey = (id: string) => [...ordersKey, "one", id] as const;

export function useOrder(id: string | null | undefined) {
  return useQuery({
    queryKey: orderKey(id ?? ""),
    queryFn: ({ signal }) => api.get<Order>(`/api/v1/orders/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export const createOrder = (input: OrderInput) => api.post<Order>("/api/v1/orders", input);
export const updateOrder = (id: string, input: OrderUpdateInput) => api.patch<Order>(`/api/v1/orders/${id}`, input);
export const submitOrder = (id: string, version: number) => api.post<Order>(`/api/v1/orders/${id}/submit`, { version });
export const deliverOrder = (id: string, version: number) => api.post<Order>(`/api/v1/orders/${id}/deliver`, { version });
export const completeOrder = (id: string, version: number) => api.post<Order>(`/api/v1/orders/${id}/complete`, { version });
export const cancelOrder = (id: string, version: number, reason: string) => api.post<Order>(`/api/v1/orders/${id}/cancel`, { version, reason });

export const creditKey = (customerId: string) => [...ordersKey, "credit", customerId] as const;

export function useCreditPosition(customerId: string | null | undefined, enabled = true) {
  return useQuery({
    queryKey: creditKey(customerId ?? ""),
    queryFn: ({ signal }) => api.get<CreditPosition>(`/api/v1/customers/${customerId}/credit`, undefined, signal),
    enabled: Boolean(customerId) && enabled,
  });
}

export const orderSettingsKey = ["order-settings"] as const;

export function useOrderSettings(enabled = true) {
  return useQuery({
    queryKey: orderSettingsKey,
    queryFn: ({ signal }) => api.get<OrderSettings>("/api/v1/order-settings", undefined, signal),
    enabled,
  });
}
export const updateOrderSettings = (input: Partial<Omit<OrderSettings, "version">> & { version: number }) => api.patch<OrderSettings>("/api/v1/order-settings", input);

/** The credit check of a refused submission (400 with details.creditCheck), if that is what the error is. */
export function refusedCreditCheck(err: unknown): CreditCheck | null {
  if (!isApiError(err)) return null;
  const c = err.details.creditCheck;
  return c && typeof c === "object" && Array.isArray((c as CreditCheck).exceeded) ? (c as CreditCheck) : null;
}
