import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";
import type { Locale, Me } from "../../app/session.js";

export const updateMe = (input: { name?: string; locale?: Locale }) => api.patch<Me>("/api/v1/me", input);
export const changePassword = (input: { currentPassword: string; newPassword: string }) => api.post<void>("/api/v1/me/password", input);
export const setupTotp = () => api.post<{ secret: string; otpauthUrl: string }>("/api/v1/me/totp/setup");
export const enableTotp = (code: string) => api.post<void>("/api/v1/me/totp/enable", { code });
export const disableTotp = (password: string) => api.post<void>("/api/v1/me/totp/disable", { password });

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export const tokensKey = ["me", "tokens"] as const;

export function useTokens() {
  return useQuery({
    queryKey: tokensKey,
    queryFn: ({ signal }) => api.get<{ items: ApiToken[] }>("/api/v1/me/tokens", undefined, signal),
    select: (d) => d.items,
  });
}

export const createToken = (input: { name: string; scopes: string[]; expiresAt?: string }) =>
  api.post<{ token: string; item: ApiToken }>("/api/v1/me/tokens", input);
export const revokeToken = (id: string) => api.delete(`/api/v1/me/tokens/${id}`);
