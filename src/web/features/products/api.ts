import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, type Page } from "../../app/api.js";

/** A product category (ProductCategory in the server's contracts). */
export interface Category {
  id: string;
  name: string;
  parentId: string | null;
  position: number;
  /** Products directly in it, not in its sub-categories. */
  productCount: number;
  version: number;
}
export interface CategoryNode extends Category {
  children: CategoryNode[];
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  categoryId: string | null;
  unit: string;
  currency: string;
  /** Exact decimal string. */
  listPrice: string;
  /** A fraction: "0.13" is 13 %. */
  taxRate: string;
  description: string;
  productLine: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ProductInput {
  sku?: string;
  name?: string;
  categoryId?: string | null;
  unit?: string;
  currency?: string;
  listPrice?: string;
  taxRate?: string;
  description?: string;
  productLine?: string;
  active?: boolean;
}

export interface PriceList {
  id: string;
  name: string;
  currency: string;
  customerTypes: string[];
  priority: number;
  validFrom: string | null;
  validTo: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export interface PriceListItem {
  productId: string;
  sku: string;
  name: string;
  unit: string;
  minQuantity: string;
  unitPrice: string;
}
export interface PriceListDetail extends PriceList {
  items: PriceListItem[];
}
export type PriceListInput = Partial<Pick<PriceList, "name" | "currency" | "customerTypes" | "priority" | "validFrom" | "validTo" | "active">>;

export interface ExchangeRate {
  currency: string;
  validFrom: string;
  rate: string;
  createdAt: string;
  createdBy: string | null;
}
export interface PricingSettings {
  baseCurrency: string;
  version: number;
}

export const productsKey = ["products"] as const;
export const categoriesKey = [...productsKey, "categories"] as const;
export const priceListsKey = ["price-lists"] as const;
export const pricingKey = ["pricing"] as const;

export function useCategoryTree(enabled = true) {
  return useQuery({
    queryKey: [...categoriesKey, "tree"],
    queryFn: ({ signal }) => api.get<{ items: CategoryNode[] }>("/api/v1/product-categories/tree", undefined, signal),
    select: (d) => d.items,
    enabled,
  });
}

export const createCategory = (input: { name: string; parentId?: string | null }) => api.post<Category>("/api/v1/product-categories", input);
export const updateCategory = (id: string, input: { version: number; name?: string; parentId?: string | null }) => api.patch<Category>(`/api/v1/product-categories/${id}`, input);
export const deleteCategory = (id: string) => api.delete(`/api/v1/product-categories/${id}`);

export type ProductSort = "name" | "-name" | "sku" | "-sku" | "listPrice" | "-listPrice" | "updatedAt" | "-updatedAt";
export interface ProductFilters {
  q?: string;
  categoryId?: string;
  /** undefined: both. */
  active?: boolean;
  sort?: ProductSort;
}

const PAGE_SIZE = 50;

export function useProducts(f: ProductFilters, opts: { enabled?: boolean; pageSize?: number } = {}) {
  return useInfiniteQuery({
    queryKey: [...productsKey, "list", f, opts.pageSize ?? PAGE_SIZE],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Product>>(
        "/api/v1/products",
        {
          limit: opts.pageSize ?? PAGE_SIZE,
          cursor: pageParam,
          sort: f.sort ?? "name",
          q: f.q?.trim(),
          filter: [filter("categoryId", "eq", f.categoryId), f.active === undefined ? undefined : filter("active", "eq", String(f.active))].filter((x): x is string => Boolean(x)),
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

export const productKey = (id: string) => [...productsKey, "one", id] as const;

export function useProduct(id: string | null | undefined, opts: { fresh?: boolean } = {}) {
  return useQuery({
    queryKey: productKey(id ?? ""),
    queryFn: ({ signal }) => api.get<Product>(`/api/v1/products/${id}`, undefined, signal),
    enabled: Boolean(id),
    ...(opts.fresh ? { staleTime: 0 } : {}),
  });
}

export const createProduct = (input: ProductInput) => api.post<Product>("/api/v1/products", input);
export const updateProduct = (id: string, input: ProductInput & { version: number }) => api.patch<Product>(`/api/v1/products/${id}`, input);

export function usePriceLists(enabled = true) {
  return useInfiniteQuery({
    queryKey: [...priceListsKey, "list"],
    queryFn: ({ pageParam, signal }) => api.get<Page<PriceList>>("/api/v1/price-lists", { limit: PAGE_SIZE, cursor: pageParam, sort: "-priority" }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export const priceListKey = (id: string) => [...priceListsKey, "one", id] as const;

export function usePriceList(id: string | null | undefined) {
  return useQuery({
    queryKey: priceListKey(id ?? ""),
    queryFn: ({ signal }) => api.get<PriceListDetail>(`/api/v1/price-lists/${id}`, undefined, signal),
    enabled: Boolean(id),
    staleTime: 0,
  });
}

export const createPriceList = (input: PriceListInput & { name: string; currency: string }) => api.post<PriceListDetail>("/api/v1/price-lists", input);
export const updatePriceList = (id: string, input: PriceListInput & { version: number }) => api.patch<PriceListDetail>(`/api/v1/price-lists/${id}`, input);
export const replacePriceListItems = (id: string, version: number, items: { productId: string; minQuantity?: string; unitPrice: string }[]) =>
  api.put<PriceListDetail>(`/api/v1/price-lists/${id}/items`, { version, items });
export const deletePriceList = (id: string) => api.delete(`/api/v1/price-lists/${id}`);

export function usePricingSettings(enabled = true) {
  return useQuery({
    queryKey: [...pricingKey, "settings"],
    queryFn: ({ signal }) => api.get<PricingSettings>("/api/v1/pricing-settings", undefined, signal),
    enabled,
  });
}
export const updatePricingSettings = (input: { version: number; baseCurrency: string }) => api.patch<PricingSettings>("/api/v1/pricing-settings", input);

export function useExchangeRates(enabled = true) {
  return useQuery({
    queryKey: [...pricingKey, "rates"],
    queryFn: ({ signal }) => api.get<{ items: ExchangeRate[] }>("/api/v1/exchange-rates", { limit: 500 }, signal),
    select: (d) => d.items,
    enabled,
  });
}
export const setExchangeRate = (input: { currency: string; validFrom: string; rate: string }) => api.post<ExchangeRate>("/api/v1/exchange-rates", input);
export const deleteExchangeRate = (currency: string, validFrom: string) => api.delete(`/api/v1/exchange-rates/${currency}/${validFrom}`);

/** "0.13" → "13" (exact: the fraction has at most 4 decimals, so the percent at most 2). */
export function percentOf(fraction: string | null | undefined): string {
  if (!fraction) return "0";
  const [int = "0", frac = ""] = fraction.split(".");
  const digits = (int + frac.padEnd(4, "0").slice(0, 4)).replace(/^0+(?=\d)/, "");
  const whole = digits.length > 2 ? digits.slice(0, -2) : "0";
  const dec = digits.padStart(2, "0").slice(-2).replace(/0+$/, "");
  return dec ? `${whole}.${dec}` : whole;
}

/** "13" → "0.13", "6.5" → "0.065" (exact string shift). */
export function fractionOf(percent: string | number | null | undefined): string {
  if (percent === null || percent === undefined || percent === "") return "0";
  const [int = "0", frac = ""] = String(percent).split(".");
  const padded = int.padStart(3, "0");
  const out = `${padded.slice(0, -2)}.${padded.slice(-2)}${frac}`.replace(/^0+(?=\d)/, "");
  return out.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

/** Categories of a tree, depth first, with their path ("Hardware / Printers"). */
export function flattenTree(nodes: CategoryNode[], prefix = ""): { id: string; path: string; node: CategoryNode }[] {
  return nodes.flatMap((n) => {
    const path = prefix ? `${prefix} / ${n.name}` : n.name;
    return [{ id: n.id, path, node: n }, ...flattenTree(n.children, path)];
  });
}

/** InputNumber formatter: thousands separators in the integer part only ("12345.5000" → "12,345.5000"). */
export const groupDigits = (v: string | number | undefined) => {
  if (v === undefined || v === "") return "";
  const [int = "", frac] = String(v).split(".");
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac !== undefined ? `.${frac}` : ""}`;
};
export const parseDigits = (v: string | undefined) => (v ?? "").replace(/[,\s¥$]/g, "");
