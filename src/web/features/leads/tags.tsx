import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { LeadStatus } from "./api.js";

const COLORS: Record<LeadStatus, string> = { new: "blue", contacted: "cyan", qualified: "gold", converted: "success", lost: "default" };

export function LeadStatusTag({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid="lead-status" data-status={status}>
      {t(`leads.statuses.${status}`)}
    </Tag>
  );
}
