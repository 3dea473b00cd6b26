import { api } from "../../app/api.js";

export type ExportObject = "customer" | "contact";
export type ExportFormat = "csv" | "xlsx" | "vcard";
export type ExportStatus = "queued" | "running" | "completed" | "failed" | "expired";

/** What the list shows: the same filters, sort and search the list endpoint takes, and its visible columns. */
export interface ExportQuery {
  filter: string[];
  sort?: string;
  q?: string;
  columns?: string[];
  viewId?: string;
}

export interface ExportJob {
  id: string;
  objectType: ExportObject;
  format: ExportFormat;
  status: ExportStatus;
  fileName: string;
  rows: number | null;
  fileSize: number | null;
  jobId: string | null;
  error: string | null;
  createdAt: string;
  expiresAt: string | null;
  downloadUrl: string | null;
}

/** Drops what the list leaves unset (a filter helper answers undefined for an empty field). */
export function exportQueryOf(q: { filter?: (string | undefined)[]; sort?: string; q?: string; columns?: readonly string[]; viewId?: string }): ExportQuery {
  return {
    filter: (q.filter ?? []).filter((f): f is string => Boolean(f)),
    ...(q.sort ? { sort: q.sort } : {}),
    ...(q.q?.trim() ? { q: q.q.trim() } : {}),
    ...(q.columns?.length ? { columns: [...q.columns] } : {}),
    ...(q.viewId ? { viewId: q.viewId } : {}),
  };
}

export const createExport = (objectType: ExportObject, format: ExportFormat, query: ExportQuery) => api.post<ExportJob>("/api/v1/exports", { objectType, format, query });

export const getExport = (id: string) => api.get<ExportJob>(`/api/v1/exports/${encodeURIComponent(id)}`);

/** Downloads the finished file (the server names it, e.g. 客户-2026-11-23.csv). */
export const downloadExport = (e: Pick<ExportJob, "id" | "fileName">) => api.download(`/api/v1/exports/${encodeURIComponent(e.id)}/file`, undefined, e.fileName);
