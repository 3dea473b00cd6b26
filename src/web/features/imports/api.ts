import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

/** What an import can create (the server's IMPORT_OBJECTS). */
export const IMPORT_OBJECTS = ["customer", "contact", "product", "lead", "activity", "order"] as const;
export type ImportObject = (typeof IMPORT_OBJECTS)[number];
export type ImportStatus = "uploaded" | "checking" | "checked" | "running" | "completed" | "failed" | "undoing" | "undone";
export const DUPLICATE_POLICIES = ["skip", "update", "merge", "create"] as const;
export const DUPLICATE_KEYS = ["code", "creditCode", "phone", "email", "name", "sku", "occurrence", "number"] as const;
export type DuplicateKey = (typeof DUPLICATE_KEYS)[number];

export interface ImportOptions {
  duplicatePolicy: (typeof DUPLICATE_POLICIES)[number];
  keys: DuplicateKey[];
  dateOrder: "mdy" | "dmy";
  /** IANA zone of the file's times of day; left out: the server's. */
  timeZone?: string;
  ownerId: string | null;
  tags: string[];
}

export interface ImportCounts {
  total: number;
  done: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

export type PreviewCell = string | number | boolean | null | string[];

/** GET /api/v1/imports/:id (ImportSchema in the server's contracts). */
export interface Import {
  id: string;
  objectType: ImportObject;
  status: ImportStatus;
  fileName: string;
  fileSize: number;
  format: "csv" | "xlsx" | "vcard";
  encoding: string | null;
  sheet: string | null;
  sheets: string[];
  headers: string[];
  mapping: (string | null)[];
  options: ImportOptions;
  counts: ImportCounts | null;
  checkCounts: ImportCounts | null;
  jobId: string | null;
  createdBy: string | null;
  finishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  preview?: { source: number; cells: PreviewCell[] }[];
}

export interface ImportChange {
  mapping?: (string | null)[];
  options?: Partial<ImportOptions>;
  sheet?: string;
}

export interface ImportIssue {
  source: number;
  outcome: "created" | "updated" | "skipped" | "failed";
  objectId: string | null;
  issues: { column: string | null; key: string; message: string }[];
}

export interface ImportTemplate {
  id: string;
  objectType: ImportObject;
  name: string;
  columns: { title: string; target: string | null }[];
  options: Partial<ImportOptions>;
  version: number;
}

export const isBusy = (s: ImportStatus) => s === "checking" || s === "running" || s === "undoing";

export const importsKey = ["imports"] as const;
export const importKey = (id: string) => [...importsKey, id] as const;
export const templatesKey = (objectType: ImportObject) => ["import-templates", objectType] as const;

export function useImports() {
  return useQuery({
    queryKey: [...importsKey, "list"],
    queryFn: ({ signal }) => api.get<{ items: Import[] }>("/api/v1/imports", undefined, signal),
    select: (d) => d.items,
    refetchInterval: (q) => (q.state.data?.items.some((i) => isBusy(i.status)) ? 2000 : false),
  });
}

/** One import with its first rows; polled while a job works on it. */
export function useImport(id: string) {
  return useQuery({
    queryKey: importKey(id),
    queryFn: ({ signal }) => api.get<Import>(`/api/v1/imports/${id}`, { preview: true }, signal),
    refetchInterval: (q) => (q.state.data && isBusy(q.state.data.status) ? 1000 : false),
    refetchIntervalInBackground: true,
  });
}

export function useIssues(id: string, dryRun: boolean, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...importKey(id), "issues", dryRun],
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: ImportIssue[]; nextAfter: number | null }>(`/api/v1/imports/${id}/issues`, { dryRun, after: pageParam ?? undefined, limit: 100 }, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextAfter,
    enabled,
  });
}

export function useTemplates(objectType: ImportObject) {
  return useQuery({
    queryKey: templatesKey(objectType),
    queryFn: ({ signal }) => api.get<{ items: ImportTemplate[] }>("/api/v1/import-templates", { objectType }, signal),
    select: (d) => d.items,
  });
}

export const uploadImport = (objectType: ImportObject, file: File) => api.upload<Import>("/api/v1/imports", { objectType, fileName: file.name }, file);
export const updateImport = (id: string, version: number, change: ImportChange) => api.patch<Import>(`/api/v1/imports/${id}`, { version, ...change });
export const startCheck = (id: string) => api.post<Import>(`/api/v1/imports/${id}/check`);
export const startRun = (id: string) => api.post<Import>(`/api/v1/imports/${id}/run`);
export const undoImport = (id: string) => api.post<Import>(`/api/v1/imports/${id}/undo`);
export const applyTemplate = (id: string, version: number, templateId: string) => api.post<Import>(`/api/v1/imports/${id}/template`, { version, templateId });
export const saveTemplate = (importId: string, name: string) => api.post<ImportTemplate>("/api/v1/import-templates", { fromImport: importId, name });
export const deleteTemplate = (id: string) => api.delete(`/api/v1/import-templates/${id}`);
export const downloadReport = (imp: Pick<Import, "id" | "fileName">, dryRun: boolean) =>
  api.download(`/api/v1/imports/${imp.id}/report.xlsx`, { dryRun }, `${imp.fileName.replace(/\.[^.]*$/, "")}-errors.xlsx`);
