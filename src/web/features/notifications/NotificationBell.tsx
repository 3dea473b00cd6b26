import { BellOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Empty, Flex, Popover, Spin, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { errorMessage, useShowError } from "../../app/errors.js";
import { markAllNotificationsRead, markNotificationRead, notificationPath, notificationsKey, useNotifications, type Notification } from "./api.js";

/** The bell in the top bar: unread count, the latest notifications, mark read; a click opens what it is about. */
export function NotificationBell({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const notifications = useNotifications();
  const [open, setOpen] = useState(false);
  const unread = notifications.data?.unread ?? 0;
  const items = notifications.data?.items ?? [];

  const refresh = () => void queryClient.invalidateQueries({ queryKey: notificationsKey });
  const readOne = useMutation({ mutationFn: markNotificationRead, onSettled: refresh, onError: (err) => showError(err) });
  const readAll = useMutation({ mutationFn: markAllNotificationsRead, onSettled: refresh, onError: (err) => showError(err) });

  const openItem = (n: Notification) => {
    if (!n.readAt) readOne.mutate(n.id);
    const path = notificationPath(n);
    if (path) {
      setOpen(false);
      void navigate(path);
    }
  };

  const content = (
    <div style={{ width: compact ? "calc(100vw - 32px)" : 360, maxWidth: 360 }} data-testid="notifications-panel">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t("notifications.title")}</Typography.Text>
        <Button type="link" size="small" disabled={unread === 0} loading={readAll.isPending} onClick={() => readAll.mutate()} style={{ paddingInline: 0 }} data-testid="notifications-read-all">
          {t("notifications.readAll")}
        </Button>
      </Flex>
      <div style={{ maxHeight: 420, overflowY: "auto", marginInline: -12 }}>
        {notifications.isPending ? (
          <Flex justify="center" style={{ padding: 24 }}>
            <Spin />
          </Flex>
        ) : notifications.isError ? (
          <Typography.Text type="danger" style={{ padding: 12, display: "block" }}>
            {errorMessage(notifications.error)}
          </Typography.Text>
        ) : items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("notifications.empty")} />
        ) : (
          items.map((n) => (
            <button
              key={n.id}
              type="button"
              onClick={() => openItem(n)}
              data-testid="notification-item"
              data-unread={n.readAt ? "false" : "true"}
              style={{
                display: "flex",
                gap: 8,
                width: "100%",
                textAlign: "start",
                border: "none",
                borderBottom: "1px solid #f5f5f5",
                background: n.readAt ? "none" : "#f0f5ff",
                padding: "10px 12px",
                cursor: "pointer",
              }}
            >
              <Badge status={n.readAt ? "default" : "processing"} style={{ marginTop: 4 }} />
              <Flex vertical style={{ minWidth: 0 }}>
                <Typography.Text strong={!n.readAt} style={{ wordBreak: "break-word" }}>
                  {n.message}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {dayjs(n.createdAt).fromNow()}
                </Typography.Text>
              </Flex>
            </button>
          ))
        )}
      </div>
    </div>
  );

  return (
    <Popover open={open} onOpenChange={setOpen} trigger="click" placement="bottomRight" content={content} arrow={false}>
      <Button type="text" aria-label={t("notifications.label", { count: unread })} data-testid="notifications-bell" data-unread={unread} style={{ lineHeight: "normal" }}>
        <Badge count={unread} size="small" overflowCount={99} data-testid="notifications-unread">
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
