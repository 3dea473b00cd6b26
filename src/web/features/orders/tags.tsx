import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { OrderStatus } from "./api.js";

const COLORS: Record<OrderStatus, string> = {
  draft: "default",
  pending_approval: "orange",
  approved: "blue",
  delivered: "cyan",
  completed: "success",
  cancelled: "error",
};

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid="order-status" data-status={status}>
      {t(`orders.statuses.${status}`)}
    </Tag>
  );
}
