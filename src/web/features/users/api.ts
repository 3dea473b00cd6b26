import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, type Page } from "../../app/api.js";
import type { Locale } from "../../app/session.js";

export type UserStatus = "active" | "disabled";

export interface User {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  roleId: string;
  roleKey: string;
  roleName: string;
  departmentId: string | null;
  teamIds: string[];
  status: UserStatus;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface UserCreateInput {
  email: string;
  name: string;
  password?: string;
  roleId: string;
  departmentId?: string | null;
  teamIds?: string[];
}

export interface UserUpdateInput {
  version: number;
  name?: string;
  roleId?: string;
  departmentId?: string | null;
  teamIds?: string[];
  status?: UserStatus;
}

export type UserSort = "name" | "-name" | "email" | "-email" | "createdAt" | "-createdAt";

export interface UserListParams {
  q?: string;
  sort?: UserSort;
  roleId?: string;
  status?: UserStatus;
}

export const usersKey = ["users"] as const;
const PAGE_SIZE = 50;

export function useUsers(params: UserListParams) {
  return useInfiniteQuery({
    queryKey: [...usersKey, "list", params],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<User>>(
        "/api/v1/users",
        {
          limit: PAGE_SIZE,
          cursor: pageParam,
          q: params.q?.trim(),
          sort: params.sort ?? "name",
          filter: [filter("roleId", "eq", params.roleId), filter("status", "eq", params.status)],
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const getUser = (id: string) => api.get<User>(`/api/v1/users/${id}`);
export const createUser = (input: UserCreateInput) => api.post<User>("/api/v1/users", input);
export const updateUser = (id: string, input: UserUpdateInput) => api.patch<User>(`/api/v1/users/${id}`, input);
export const deleteUser = (id: string) => api.delete(`/api/v1/users/${id}`);

/**
 * Users for pickers (team members, audit actor). Searches on the server as the
 * user types; an empty search gives the first 100 by name.
 */
export function useUserOptions(q: string, enabled = true) {
  return useQuery({
    queryKey: [...usersKey, "options", q.trim()],
    queryFn: ({ signal }) => api.get<Page<User>>("/api/v1/users", { limit: 100, sort: "name", q: q.trim() }, signal),
    enabled,
    placeholderData: (prev) => prev,
    staleTime: 60_000,
  });
}
