import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";
import type { Visibility } from "../../app/session.js";

export interface Role {
  id: string;
  key: string;
  name: string;
  description: string | null;
  permissions: string[];
  visibility: Visibility;
  isSystem: boolean;
  version: number;
}

export interface RoleInput {
  key: string;
  name: string;
  description?: string;
  permissions: string[];
  visibility: Visibility;
}

export interface PermissionObject {
  name: string;
  area: string;
  actions: string[];
}

export const rolesKey = ["roles"] as const;

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: rolesKey,
    queryFn: ({ signal }) => api.get<{ items: Role[] }>("/api/v1/roles", undefined, signal),
    select: (d) => [...d.items].sort(byRoleOrder),
    enabled,
  });
}

const SYSTEM_ORDER = ["owner", "admin", "manager", "sales", "service", "marketing", "read_only"];

/** System roles in order of power, then custom roles by name. */
function byRoleOrder(a: Role, b: Role): number {
  if (a.isSystem !== b.isSystem) return a.isSystem ? -1 : 1;
  if (a.isSystem) return rank(a.key) - rank(b.key);
  return a.name.localeCompare(b.name);
}
const rank = (key: string) => (SYSTEM_ORDER.includes(key) ? SYSTEM_ORDER.indexOf(key) : SYSTEM_ORDER.length);

export function usePermissionCatalog() {
  return useQuery({
    queryKey: ["permissions"],
    queryFn: ({ signal }) => api.get<{ objects: PermissionObject[] }>("/api/v1/permissions", undefined, signal),
    select: (d) => d.objects,
    staleTime: Infinity,
  });
}

export const createRole = (input: RoleInput) => api.post<Role>("/api/v1/roles", input);
export const updateRole = (id: string, input: Partial<Omit<RoleInput, "key">> & { version: number }) =>
  api.patch<Role>(`/api/v1/roles/${id}`, input);
export const deleteRole = (id: string) => api.delete(`/api/v1/roles/${id}`);

export const VISIBILITIES: Visibility[] = ["own", "team", "department", "all"];
