import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { OpportunityStatus, StageKind } from "./api.js";

export const KIND_COLORS: Record<StageKind, string> = { open: "processing", won: "success", lost: "error" };
/** The top border of a board column. */
export const KIND_HEX: Record<StageKind, string> = { open: "#1677ff", won: "#52c41a", lost: "#bfbfbf" };

export function OpportunityStatusTag({ status }: { status: OpportunityStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={KIND_COLORS[status]} data-testid="opportunity-status" data-status={status}>
      {t(`opportunities.statuses.${status}`)}
    </Tag>
  );
}

export function StageKindTag({ kind }: { kind: StageKind }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLORS[kind]}>{t(`opportunities.kinds.${kind}`)}</Tag>;
}
