import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { QuoteStatus } from "./api.js";

const COLORS: Record<QuoteStatus, string> = { draft: "default", sent: "processing", accepted: "success", rejected: "error", expired: "warning" };

export function QuoteStatusTag({ status }: { status: QuoteStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid="quote-status" data-status={status}>
      {t(`quotes.statuses.${status}`)}
    </Tag>
  );
}
