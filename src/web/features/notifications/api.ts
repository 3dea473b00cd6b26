import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export interface Notification {
  id: string;
  kind: string;
  /** Already in the user's language. */
  message: string;
  objectType: string | null;
  objectId: string | null;
  data: Record<string, string | number>;
  readAt: string | null;
  createdAt: string;
}

export const notificationsKey = ["notifications"] as const;

/** My latest notifications and the unread count, polled every minute (also while the tab is in the background). */
export function useNotifications() {
  return useQuery({
    queryKey: notificationsKey,
    queryFn: ({ signal }) => api.get<{ unread: number; items: Notification[] }>("/api/v1/notifications", undefined, signal),
    refetchInterval: 60_000,
    refetchIntervalInBackground: true,
    staleTime: 30_000,
  });
}

export const markNotificationRead = (id: string) => api.post<void>(`/api/v1/notifications/${id}/read`);
export const markAllNotificationsRead = () => api.post<void>("/api/v1/notifications/read-all");

/** Where a notification leads: the record it is about. */
export function notificationPath(n: Pick<Notification, "objectType" | "objectId">): string | null {
  if (!n.objectId) return null;
  switch (n.objectType) {
    case "customer":
      return `/customers/${n.objectId}`;
    case "contact":
      return `/contacts/${n.objectId}`;
    case "task":
      return "/tasks";
    default:
      return null;
  }
}
