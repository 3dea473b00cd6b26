import { api } from "../../app/api.js";
import type { Me } from "../../app/session.js";

export interface LoginInput {
  email: string;
  password: string;
  totpCode?: string;
}

export const login = (input: LoginInput) => api.post<Me>("/api/v1/auth/login", input);
export const logout = () => api.post<void>("/api/v1/auth/logout");
export const logoutAll = () => api.post<void>("/api/v1/auth/logout-all");
export const requestPasswordReset = (email: string) => api.post<void>("/api/v1/auth/password-reset/request", { email });
export const confirmPasswordReset = (token: string, password: string) =>
  api.post<void>("/api/v1/auth/password-reset/confirm", { token, password });
