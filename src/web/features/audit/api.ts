import { useInfiniteQuery } from "@tanstack/react-query";
import { api, filter, type Page } from "../../app/api.js";

export interface AuditEvent {
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorName: string | null;
  actorType: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
  data: Record<string, unknown> | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditFilters {
  actorUserId?: string;
  action?: string;
  objectType?: string;
  from?: string;
  to?: string;
}

export function useAuditEvents(f: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ["audit-events", f],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEvent>>(
        "/api/v1/audit-events",
        {
          limit: 50,
          cursor: pageParam,
          filter: [
            filter("actorUserId", "eq", f.actorUserId),
            filter("action", "contains", f.action?.trim()),
            filter("objectType", "eq", f.objectType?.trim()),
            filter("occurredAt", "gte", f.from),
            filter("occurredAt", "lte", f.to),
          ],
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
