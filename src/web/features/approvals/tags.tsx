import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { ApprovalKind, ApprovalStatus } from "./api.js";

const COLORS: Record<ApprovalStatus, string> = { pending: "processing", approved: "success", rejected: "error", withdrawn: "default" };

export function ApprovalStatusTag({ status }: { status: ApprovalStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid="approval-status" data-status={status}>
      {t(`approvals.statuses.${status}`)}
    </Tag>
  );
}

export function ApprovalKindTag({ kind }: { kind: ApprovalKind }) {
  const { t } = useTranslation();
  return <Tag>{t(`approvals.kinds.${kind}`)}</Tag>;
}
