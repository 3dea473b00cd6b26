import { useQuery, type QueryClient } from "@tanstack/react-query";
import type { Locale } from "../i18n/index.js";
import { api, isApiError } from "./api.js";

export type { Locale };
export type Visibility = "own" | "team" | "department" | "all";

/** What GET /api/v1/auth/me answers; also returned by login, setup, switch-workspace and PATCH /me. */
export interface Me {
  user: { id: string; email: string; name: string; locale: Locale; totpEnabled: boolean };
  workspace: { id: string; name: string; defaultLocale: Locale };
  role: { id: string; key: string; name: string };
  permissions: string[];
  visibility: Visibility;
  workspaces: { id: string; name: string }[];
}

export const meKey = ["me"] as const;

export const fetchMe = () => api.get<Me>("/api/v1/auth/me");

/**
 * The signed-in user, or null when there is no session. Other errors stay
 * errors (the server may be down) so the app does not bounce to /login.
 */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await fetchMe();
      } catch (err) {
        if (isApiError(err) && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    retry: (count, err) => !(isApiError(err) && err.status < 500) && count < 2,
  });
}

/** The signed-in user inside the authenticated layout, where it is always loaded. */
export function useSession(): Me {
  const { data } = useMe();
  if (!data) throw new Error("useSession() used outside the authenticated layout");
  return data;
}

export function hasPermission(me: Me | null | undefined, permission: string): boolean {
  if (!me) return false;
  const [object] = permission.split(":");
  return me.permissions.includes(permission) || me.permissions.includes("*") || me.permissions.includes(`${object}:*`);
}

export function useCan(): (permission: string) => boolean {
  const { data } = useMe();
  return (permission) => hasPermission(data, permission);
}

/**
 * Replaces the session (after login, setup or a workspace switch). Everything
 * cached belonged to the previous session or workspace, so it is dropped.
 */
export function startSession(queryClient: QueryClient, me: Me): void {
  signedOutOnPurpose = false;
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== "me" && q.queryKey[0] !== "setup-status" });
  queryClient.setQueryData(meKey, me);
}

function endSession(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== "me" && q.queryKey[0] !== "setup-status" });
  queryClient.setQueryData(meKey, null);
}

// Signing out on purpose sends the user to a plain /login; a lost session
// remembers where the user was so they come back there after signing in.
let signedOutOnPurpose = false;

/** The session expired or was revoked elsewhere (any 401). */
export function loseSession(queryClient: QueryClient): void {
  if (queryClient.getQueryData(meKey) === null) return;
  endSession(queryClient);
}

/** The user signed out. */
export function signOutLocally(queryClient: QueryClient): void {
  signedOutOnPurpose = true;
  endSession(queryClient);
}

export const wasSignedOutOnPurpose = (): boolean => signedOutOnPurpose;
