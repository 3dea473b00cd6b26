import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";
import type { Locale, Me } from "../../app/session.js";

export interface Workspace {
  id: string;
  name: string;
  defaultLocale: Locale;
  /** As set; null: the server's. */
  timeZone: string | null;
  effectiveTimeZone: string;
  serverTimeZone: string;
  version: number;
}

export const workspaceKey = ["workspace"] as const;

export function useCurrentWorkspace() {
  return useQuery({
    queryKey: workspaceKey,
    queryFn: ({ signal }) => api.get<Workspace>("/api/v1/workspace", undefined, signal),
  });
}

export const updateWorkspace = (input: { version: number; name?: string; defaultLocale?: Locale; timeZone?: string | null }) =>
  api.patch<Workspace>("/api/v1/workspace", input);
export const createWorkspace = (name: string) => api.post<{ id: string; name: string }>("/api/v1/workspaces", { name });
export const switchWorkspace = (workspaceId: string) => api.post<Me>("/api/v1/auth/switch-workspace", { workspaceId });
