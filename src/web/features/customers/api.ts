import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, isApiError, type Page } from "../../app/api.js";

export const CUSTOMER_KINDS = ["organization", "individual"] as const;
export const CUSTOMER_STATUSES = ["active", "inactive", "blacklisted"] as const;
export const LIFECYCLE_STAGES = ["prospect", "new", "repeat", "loyal", "at_risk", "churned"] as const;
export const GRADES = ["A", "B", "C"] as const;
export const COMPANY_SIZES = ["micro", "small", "medium", "large", "enterprise"] as const;
export const GENDERS = ["male", "female", "other"] as const;
export const CONTACT_ROLES = ["decision_maker", "influencer", "user", "other"] as const;
export const ADDRESS_KINDS = ["billing", "delivery"] as const;
export const PHONE_LABELS = ["mobile", "work", "home", "fax", "other"] as const;
export const EMAIL_LABELS = ["work", "personal", "other"] as const;

export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export type Grade = (typeof GRADES)[number];
export type CompanySize = (typeof COMPANY_SIZES)[number];
export type Gender = (typeof GENDERS)[number];
export type ContactRole = (typeof CONTACT_ROLES)[number];
export type AddressKind = (typeof ADDRESS_KINDS)[number];

export interface Phone {
  label: (typeof PHONE_LABELS)[number];
  number: string;
}
export interface Email {
  label: (typeof EMAIL_LABELS)[number];
  address: string;
}

export interface Analysis {
  attitude?: string;
  evaluation?: string;
  contractPerformance?: string;
  frictions?: string;
  competitors?: string;
  demand?: string;
  potential?: string;
  interests?: string;
  values?: string;
}
export const ANALYSIS_FIELDS = ["attitude", "evaluation", "contractPerformance", "frictions", "competitors", "demand", "potential", "interests", "values"] as const;

export interface Address {
  id: string;
  kind: AddressKind;
  isDefault: boolean;
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  detail: string;
  postcode: string;
  recipient: string;
  phone: string;
}
export type AddressInput = Omit<Address, "id">;

/** GET /api/v1/customers/:id and list items (CustomerSchema in the server's contracts). */
export interface Customer {
  id: string;
  code: string;
  kind: CustomerKind;
  name: string;
  shortName: string;
  /** The pool (公海) it is in while ownerId is null, or goes back to. */
  poolId: string | null;
  ownedSince: string | null;
  lastFollowUpAt: string | null;
  lastDealAt: string | null;
  /** Phones and e-mails are masked: the customer is in the pool and the role may not manage pools. */
  contactDetailsMasked: boolean;
  type: string;
  source: string;
  ownerId: string | null;
  teamId: string | null;
  collaboratorIds: string[];
  status: CustomerStatus;
  lifecycleStage: LifecycleStage;
  grade: Grade | null;
  gradeManual: boolean;
  industry: string;
  companySize: CompanySize | null;
  cooperationSince: string | null;
  cooperationYears: number | null;
  website: string;
  remarks: string;
  phones: Phone[];
  emails: Email[];
  tags: string[];
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  address: string;
  addresses: Address[];
  creditCode: string | null;
  taxRules: string;
  currency: string;
  discountTerms: string;
  paymentTerms: string;
  creditLimit: string | null;
  salesLimit: string | null;
  creditRating: string;
  commissionCode: string;
  invoiceRecipient: string;
  bankName: string;
  /** "•••• 1234" when bankAccountMasked (the role lacks customer:view_bank). */
  bankAccount: string | null;
  bankAccountMasked: boolean;
  analysis: Analysis;
  /** Custom field values by key (see features/custom-fields). */
  custom: Record<string, unknown>;
  gender: Gender | null;
  birthday: string | null;
  lunarBirthday: { month: number; day: number } | null;
  ageBand: string;
  incomeBand: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  version: number;
}

export interface CustomerContactLink {
  contactId: string;
  name: string;
  title: string;
  role: ContactRole;
  isPrimary: boolean;
  phones: Phone[];
  emails: Email[];
}

export interface CustomerDetail extends Customer {
  contacts: CustomerContactLink[];
}

/** The body of POST /api/v1/customers; PATCH takes any subset plus `version`. */
export interface CustomerInput {
  code?: string;
  kind: CustomerKind;
  name: string;
  shortName?: string;
  type?: string;
  source?: string;
  ownerId?: string | null;
  teamId?: string | null;
  collaboratorIds?: string[];
  status?: CustomerStatus;
  lifecycleStage?: LifecycleStage;
  grade?: Grade | null;
  industry?: string;
  companySize?: CompanySize | null;
  cooperationSince?: string | null;
  website?: string;
  remarks?: string;
  phones?: { label: Phone["label"]; number: string }[];
  emails?: { label: Email["label"]; address: string }[];
  tags?: string[];
  provinceCode?: string | null;
  cityCode?: string | null;
  districtCode?: string | null;
  address?: string;
  addresses?: AddressInput[];
  creditCode?: string;
  taxRules?: string;
  currency?: string;
  discountTerms?: string;
  paymentTerms?: string;
  creditLimit?: string | null;
  salesLimit?: string | null;
  creditRating?: string;
  commissionCode?: string;
  invoiceRecipient?: string;
  bankName?: string;
  bankAccount?: string | null;
  analysis?: Analysis;
  gender?: Gender | null;
  birthday?: string | null;
  lunarBirthday?: { month: number; day: number } | null;
  ageBand?: string;
  incomeBand?: string;
  /** Only the keys that change; null clears one. */
  custom?: Record<string, unknown>;
  allowDuplicate?: boolean;
}
export type CustomerUpdateInput = Partial<CustomerInput> & { version: number };

export type DuplicateReason = "credit_code" | "phone" | "email" | "name";
export interface Duplicate {
  objectType: "customer" | "contact";
  id: string;
  code: string | null;
  name: string;
  ownerId: string | null;
  reasons: DuplicateReason[];
}

/** A save refused because likely duplicates exist (409, details.reason "duplicate"). */
export interface DuplicateConflict {
  mode: "warn" | "block";
  duplicates: Duplicate[];
}

export function duplicateConflictOf(err: unknown): DuplicateConflict | null {
  if (!isApiError(err) || err.code !== "CONFLICT" || err.details.reason !== "duplicate") return null;
  const mode = err.details.mode === "block" ? "block" : "warn";
  const duplicates = Array.isArray(err.details.duplicates) ? (err.details.duplicates as Duplicate[]) : [];
  return { mode, duplicates };
}

export const CUSTOMER_SORT_FIELDS = ["name", "code", "status", "lifecycleStage", "grade", "industry", "creditLimit", "cooperationSince", "createdAt", "updatedAt"] as const;
export type CustomerSortField = (typeof CUSTOMER_SORT_FIELDS)[number];
export type CustomerSort = CustomerSortField | `-${CustomerSortField}`;

export interface CustomerFilters {
  q?: string;
  sort?: CustomerSort;
  lifecycleStage?: LifecycleStage[];
  grade?: Grade[];
  status?: CustomerStatus;
  kind?: CustomerKind;
  /** A user id, or POOL. */
  ownerId?: string;
  tag?: string[];
  /** Further `field:op:value` filters this screen has no control for (from a saved view). */
  extra?: string[];
}

/** The owner filter's value for the public pool (公海): customers without an owner. */
export const POOL = "__pool__";

export const customersKey = ["customers"] as const;
const PAGE_SIZE = 50;

/** `field:in:a|b` for several values, `field:eq:a` for one. */
export const anyOf = (field: string, values: readonly string[] | undefined) =>
  !values?.length ? undefined : values.length === 1 ? filter(field, "eq", values[0]) : filter(field, "in", values.join("|"));

/** The list API's `filter` parameters of a filter state. */
export function filtersOf(f: CustomerFilters): string[] {
  return [
    anyOf("lifecycleStage", f.lifecycleStage),
    anyOf("grade", f.grade),
    filter("status", "eq", f.status),
    filter("kind", "eq", f.kind),
    f.ownerId === POOL ? filter("ownerId", "null", "true") : filter("ownerId", "eq", f.ownerId),
    anyOf("tag", f.tag),
    ...(f.extra ?? []),
  ].filter((x): x is string => Boolean(x));
}

/** The filter state of saved `field:op:value` filters; what the screen has no control for stays in `extra`. */
export function parseFilters(filters: string[]): Omit<CustomerFilters, "q" | "sort"> {
  const out: Omit<CustomerFilters, "q" | "sort"> = {};
  const extra: string[] = [];
  for (const raw of filters) {
    const m = /^([A-Za-z][\w.]*):(eq|in|null):(.*)$/.exec(raw);
    const [field, op, value = ""] = m ? [m[1], m[2], m[3]] : [];
    const values = op === "in" ? value.split("|") : [value];
    if (field === "lifecycleStage" && op !== "null") out.lifecycleStage = values as LifecycleStage[];
    else if (field === "grade" && op !== "null") out.grade = values as Grade[];
    else if (field === "tag" && op !== "null") out.tag = values;
    else if (field === "status" && op === "eq") out.status = value as CustomerStatus;
    else if (field === "kind" && op === "eq") out.kind = value as CustomerKind;
    else if (field === "ownerId" && op === "eq") out.ownerId = value;
    else if (field === "ownerId" && op === "null" && value === "true") out.ownerId = POOL;
    else extra.push(raw);
  }
  if (extra.length) out.extra = extra;
  return out;
}

/** The query string of a customer list (also used for counts and exports). */
export const listQueryOf = (f: CustomerFilters) => ({ q: f.q?.trim(), filter: filtersOf(f) });

export function useCustomers(f: CustomerFilters, opts: { enabled?: boolean; pageSize?: number } = {}) {
  return useInfiniteQuery({
    queryKey: [...customersKey, "list", f, opts.pageSize ?? PAGE_SIZE],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Customer>>("/api/v1/customers", { limit: opts.pageSize ?? PAGE_SIZE, cursor: pageParam, sort: f.sort ?? "-updatedAt", ...listQueryOf(f) }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

export const customerKey = (id: string) => [...customersKey, "one", id] as const;

/** One customer with its contacts. `fresh`: ask the server again even when cached (an editor needs the latest version). */
export function useCustomer(id: string | null | undefined, opts: { fresh?: boolean } = {}) {
  return useQuery({
    queryKey: customerKey(id ?? ""),
    queryFn: ({ signal }) => api.get<CustomerDetail>(`/api/v1/customers/${id}`, undefined, signal),
    enabled: Boolean(id),
    ...(opts.fresh ? { staleTime: 0 } : {}),
  });
}

export const createCustomer = (input: CustomerInput) => api.post<Customer>("/api/v1/customers", input);
export const updateCustomer = (id: string, input: CustomerUpdateInput) => api.patch<Customer>(`/api/v1/customers/${id}`, input);
export const deleteCustomer = (id: string) => api.delete(`/api/v1/customers/${id}`);
export const restoreCustomer = (id: string) => api.post<Customer>(`/api/v1/customers/${id}/restore`);

export function useCustomerTrash(enabled = true) {
  return useInfiniteQuery({
    queryKey: [...customersKey, "trash"],
    queryFn: ({ pageParam, signal }) => api.get<Page<Customer>>("/api/v1/customers/trash", { limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export interface DuplicateProbe {
  objectType: "customer" | "contact";
  name?: string;
  creditCode?: string;
  phone?: string[];
  email?: string[];
  excludeId?: string;
}

const probeIsEmpty = (p: DuplicateProbe) => !p.name?.trim() && !p.creditCode?.trim() && !p.phone?.length && !p.email?.length;

/** 查重 while typing: likely duplicates of what is being entered (null probe: nothing to check yet). */
export function useDuplicateProbe(probe: DuplicateProbe | null) {
  return useQuery({
    queryKey: [...customersKey, "duplicates", probe],
    queryFn: ({ signal }) =>
      api.get<{ items: Duplicate[] }>(
        "/api/v1/customers/duplicates",
        {
          objectType: probe!.objectType,
          name: probe!.name?.trim(),
          creditCode: probe!.creditCode?.trim(),
          phone: probe!.phone,
          email: probe!.email,
          excludeId: probe!.excludeId,
        },
        signal,
      ),
    select: (d) => d.items,
    enabled: probe !== null && !probeIsEmpty(probe),
    staleTime: 10_000,
    // A hint only: failures stay quiet.
    retry: false,
  });
}

export interface GradeRule {
  grade: Grade;
  /** List filters (`field:op:value`) that must all match. */
  filter: string[];
}

export interface CustomerSettings {
  codePattern: string;
  duplicateMode: "warn" | "block";
  gradeRules: GradeRule[];
  defaultGrade: Grade | null;
  /** Set after a change that re-grades customers: a job to follow. */
  regradeJobId?: string | null;
  version: number;
}

export const customerSettingsKey = ["customer-settings"] as const;

export function useCustomerSettings(enabled = true) {
  return useQuery({
    queryKey: customerSettingsKey,
    queryFn: ({ signal }) => api.get<CustomerSettings>("/api/v1/customer-settings", undefined, signal),
    enabled,
  });
}

export const updateCustomerSettings = (input: {
  version: number;
  codePattern?: string;
  duplicateMode?: "warn" | "block";
  gradeRules?: GradeRule[];
  defaultGrade?: Grade | null;
}) => api.patch<CustomerSettings>("/api/v1/customer-settings", input);

export type CustomerGroupBy = "lifecycleStage" | "grade";

/** How many customers of a list query fall in each value of a field (kanban column headers). */
export function useCustomerCounts(f: CustomerFilters, groupBy: CustomerGroupBy, enabled = true) {
  return useQuery({
    queryKey: [...customersKey, "counts", groupBy, f],
    queryFn: ({ signal }) => api.get<{ groups: { value: string | null; count: number }[] }>("/api/v1/customers/counts", { groupBy, ...listQueryOf(f) }, signal),
    select: (d) => d.groups,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export type BulkOperation =
  | { action: "assign"; ownerId: string }
  | { action: "addTags"; tags: string[] }
  | { action: "removeTags"; tags: string[] }
  | { action: "grade"; grade: Grade | null }
  | { action: "stage"; lifecycleStage: LifecycleStage }
  | { action: "release"; poolId?: string }
  | { action: "delete" };

export interface BulkResult {
  done: number;
  failed: { id: string; code: string; message: string }[];
}

export const bulkCustomers = (ids: string[], operation: BulkOperation) => api.post<BulkResult>("/api/v1/customers/bulk", { ids, operation });

/** CSV of the selected customers, or of everything the filters match. */
export const exportCustomers = (sel: { ids: string[] } | { filters: CustomerFilters }) =>
  api.download(
    "/api/v1/customers/export",
    "ids" in sel ? { ids: sel.ids } : { ...listQueryOf(sel.filters), sort: sel.filters.sort },
    `customers-${new Date().toISOString().slice(0, 10)}.csv`,
  );
