import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export interface Team {
  id: string;
  name: string;
  description: string | null;
  memberIds: string[];
  version: number;
}

export interface TeamInput {
  name: string;
  description?: string;
  memberIds?: string[];
}

export const teamsKey = ["teams"] as const;

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: teamsKey,
    queryFn: ({ signal }) => api.get<{ items: Team[] }>("/api/v1/teams", undefined, signal),
    select: (d) => d.items,
    enabled,
  });
}

export const createTeam = (input: TeamInput) => api.post<Team>("/api/v1/teams", input);
export const updateTeam = (id: string, input: Partial<TeamInput> & { version: number }) => api.patch<Team>(`/api/v1/teams/${id}`, input);
export const deleteTeam = (id: string) => api.delete(`/api/v1/teams/${id}`);
