import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";
import type { Locale, Me } from "../../app/session.js";

export const setupStatusKey = ["setup-status"] as const;

export function useSetupStatus() {
  return useQuery({
    queryKey: setupStatusKey,
    queryFn: () => api.get<{ needsSetup: boolean }>("/api/v1/setup/status"),
    staleTime: Infinity,
  });
}

export interface SetupInput {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
  locale: Locale;
  demoData: boolean;
}

export type SetupResult = Me & { demoJobId?: string | null };

export const runSetup = (input: SetupInput) => api.post<SetupResult>("/api/v1/setup", input);
