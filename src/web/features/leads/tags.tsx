import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { LeadStatus } from "./api.js";

const COLORS: Record<LeadStatus, string> = { new: "blue", contacted: "cyan", qualified: "gold", converted: "success", lost: "default" };

/** `testId`: another than the lead page's "lead-status" where the tag is shown elsewhere (the global search). */
export function LeadStatusTag({ status, testId = "lead-status" }: { status: LeadStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid={testId} data-status={status}>
      {t(`leads.statuses.${status}`)}
    </Tag>
  );
}
