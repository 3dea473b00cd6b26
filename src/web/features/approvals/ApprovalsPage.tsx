import { SettingOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Tabs, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { useCan } from "../../app/session.js";
import { formatAmount } from "../orders/money.js";
import { useUserNames } from "../users/names.js";
import { useApprovals, type ApprovalRequest, type Box } from "./api.js";
import { ApprovalKindTag, ApprovalStatusTag } from "./tags.js";

/** Inbox (waiting for my decision), my requests, and every request for those who manage approvals. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [box, setBox] = useState<Box>("inbox");
  const boxes: Box[] = can("approval:manage") ? ["inbox", "mine", "all"] : ["inbox", "mine"];
  return (
    <>
      <PageHeader
        title={t("approvals.title")}
        subtitle={t("approvals.subtitle")}
        extra={
          can("approval:manage") ? (
            <Button icon={<SettingOutlined />} onClick={() => void navigate("/approvals/flows")} data-testid="approval-flows-link">
              {t("approvals.flowsButton")}
            </Button>
          ) : null
        }
      />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={box}
          onChange={(k) => setBox(k as Box)}
          items={boxes.map((b) => ({ key: b, label: <span data-testid={`approvals-tab-${b}`}>{t(`approvals.boxes.${b}`)}</span> }))}
        />
        <ApprovalList key={box} box={box} />
      </Card>
    </>
  );
}

function ApprovalList({ box }: { box: Box }) {
  const { t } = useTranslation();
  const userName = useUserNames();
  const requests = useApprovals(box);
  const rows = useQueryRows(requests);
  const columns: TableColumnsType<ApprovalRequest> = [
    {
      key: "title",
      title: t("approvals.titleCol"),
      width: 240,
      render: (_, r) => (
        <Link to={`/approvals/${r.id}`} data-testid="approval-link">
          {r.title}
        </Link>
      ),
    },
    { key: "kind", title: t("approvals.kind"), width: 110, render: (_, r) => <ApprovalKindTag kind={r.kind} /> },
    { key: "amount", title: t("approvals.amount"), width: 140, align: "right", render: (_, r) => (r.amount ? formatAmount(r.amount, r.currency) : "—") },
    { key: "requester", title: t("approvals.requester"), width: 100, render: (_, r) => userName(r.requestedBy) ?? "—" },
    {
      key: "step",
      title: t("approvals.currentStep"),
      width: 160,
      render: (_, r) => (r.status === "pending" ? `${t("approvals.stepOf", { n: r.currentStep + 1 })} · ${r.steps[r.currentStep]?.name ?? ""}` : "—"),
    },
    { key: "status", title: t("approvals.status"), width: 90, render: (_, r) => <ApprovalStatusTag status={r.status} /> },
    { key: "createdAt", title: t("approvals.createdAt"), width: 140, render: (_, r) => dayjs(r.createdAt).format("L LT") },
  ];
  return (
    <InfiniteTable<ApprovalRequest>
      query={requests}
      rows={rows}
      testId={`approvals-${box}`}
      rowKey="id"
      columns={columns}
      size="middle"
      locale={{ emptyText: <Empty description={box === "inbox" ? t("approvals.emptyInbox") : t("approvals.empty")} /> }}
      onRow={(r) => ({ "data-testid": `approval-row-${r.title}` }) as HTMLAttributes<HTMLElement>}
    />
  );
}
