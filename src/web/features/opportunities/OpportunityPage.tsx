import { CheckCircleOutlined, CloseCircleOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Descriptions, Flex, Row, Skeleton, Steps, Table, Tag, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { DeleteButton, EditButton, RecordHeader, useDeleteRecord } from "../../app/components/record.js";
import { useCan } from "../../app/session.js";
import { formatAmount } from "../orders/money.js";
import { useUserNames } from "../users/names.js";
import { deleteOpportunity, opportunitiesKey, useOpportunity, useOpportunityHistory, usePipelines, type HistoryItem, type Opportunity, type Pipeline, type Stage } from "./api.js";
import { OpportunityFormDrawer } from "./OpportunityFormDrawer.js";
import { ProductsCard } from "./ProductsCard.js";
import { OpportunityStatusTag, StageKindTag } from "./tags.js";
import { useStageMove } from "./use-stage-move.js";
import { RecordTasksPanel } from "../tasks/RecordTasksPanel.js";

const dash = (v: string | null | undefined) => (v ? v : "—");

/** One opportunity: where it stands in its pipeline (click a step to move it), won/lost, fields, products on the deal and the stage history. */
export function OpportunityPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const userName = useUserNames();
  const opportunity = useOpportunity(id);
  const pipelines = usePipelines();
  const mover = useStageMove();
  const [editing, setEditing] = useState(false);

  const remove = useDeleteRecord({ remove: () => deleteOpportunity(id), invalidate: [opportunitiesKey], done: t("common.deleted"), to: "/opportunities" });

  if (opportunity.isError) return <QueryError error={opportunity.error} onRetry={() => void opportunity.refetch()} />;
  if (!opportunity.data) return <Skeleton active />;
  const o = opportunity.data;
  const pipeline = pipelines.data?.find((p) => p.id === o.pipelineId);
  const stage = pipeline?.stages.find((s) => s.id === o.stageId);
  const update = can("opportunity:update");
  const moveTo = (s: Stage) => mover.request({ id: o.id, version: o.version, stageId: o.stageId, pipelineId: o.pipelineId }, s);
  const won = pipeline?.stages.find((s) => s.kind === "won");
  const lost = pipeline?.stages.find((s) => s.kind === "lost");

  const actions = (
    <Flex gap={8} wrap="wrap">
      {update && o.status === "open" && won ? (
        <Button type="primary" icon={<CheckCircleOutlined />} onClick={() => moveTo(won)} loading={mover.pending} data-testid="opportunity-won">
          {t("opportunities.markWon")}
        </Button>
      ) : null}
      {update && o.status === "open" && lost ? (
        <Button danger icon={<CloseCircleOutlined />} onClick={() => moveTo(lost)} data-testid="opportunity-lost">
          {t("opportunities.markLost")}
        </Button>
      ) : null}
      {update ? <EditButton onClick={() => setEditing(true)} testId="opportunity-edit" /> : null}
      {can("opportunity:delete") ? <DeleteButton title={t("opportunities.deleteConfirm")} remove={remove} testId="opportunity-delete" /> : null}
    </Flex>
  );

  const probability = o.probability ?? stage?.probability ?? null;

  return (
    <>
      <RecordHeader
        back={`/opportunities?pipeline=${o.pipelineId}`}
        backLabel={t("opportunities.backToBoard")}
        title={o.name}
        titleTestId="opportunity-title"
        tags={
          <>
            <OpportunityStatusTag status={o.status} />
            {stage ? <Tag data-testid="opportunity-stage">{stage.name}</Tag> : null}
          </>
        }
        subtitle={
          <>
            <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link> · {userName(o.ownerId) ?? "—"} · {pipeline?.name ?? ""}
          </>
        }
        actions={
          <Flex vertical align="flex-end" gap={8}>
            {actions}
            <Typography.Text strong style={{ fontSize: 20, fontVariantNumeric: "tabular-nums" }} data-testid="opportunity-amount">
              {formatAmount(o.amount, o.currency)}
            </Typography.Text>
          </Flex>
        }
        testId="opportunity"
      >
        {pipeline ? <StageSteps pipeline={pipeline} opportunity={o} disabled={!update || mover.pending} onMove={moveTo} /> : null}
      </RecordHeader>
      {o.status === "won" && o.winReason ? <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t("opportunities.wonBecause", { reason: o.winReason })} /> : null}
      {o.status === "lost" ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("opportunities.lostBecause", { reason: o.lossReason })} data-testid="opportunity-loss-reason" /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: "customer", label: t("opportunities.customer"), children: <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link> },
                { key: "contact", label: t("opportunities.contact"), children: o.contactId ? <Link to={`/contacts/${o.contactId}`}>{t("common.view")}</Link> : "—" },
                { key: "amount", label: t("opportunities.amount"), children: formatAmount(o.amount, o.currency) },
                { key: "probability", label: t("opportunities.probability"), children: probability === null ? "—" : `${probability}%${o.probability === null ? ` (${t("opportunities.stageDefault")})` : ""}` },
                { key: "expectedClose", label: t("opportunities.expectedClose"), children: o.expectedClose ? dayjs(o.expectedClose).format("LL") : "—" },
                { key: "owner", label: t("opportunities.owner"), children: userName(o.ownerId) ?? "—" },
                { key: "source", label: t("opportunities.source"), children: dash(o.source) },
                { key: "competitors", label: t("opportunities.competitors"), children: o.competitors.length ? o.competitors.map((c) => <Tag key={c}>{c}</Tag>) : "—" },
                { key: "description", label: t("opportunities.description"), span: "filled", children: o.description ? <span style={{ whiteSpace: "pre-wrap" }}>{o.description}</span> : "—" },
                ...(o.leadId ? [{ key: "lead", label: t("opportunities.lead"), children: <Link to={`/leads/${o.leadId}`}>{t("common.view")}</Link> }] : []),
                { key: "createdAt", label: t("common.createdAt"), children: dayjs(o.createdAt).format("L LT") },
                { key: "updatedAt", label: t("common.updatedAt"), children: dayjs(o.updatedAt).format("L LT") },
              ]}
            />
          </Card>
          <ProductsCard opportunity={o} editable={update} />
        </Col>
        <Col xs={24} xl={8}>
          <HistoryCard opportunity={o} />
          <div style={{ marginTop: 16 }}>
            <RecordTasksPanel objectType="opportunity" objectId={o.id} />
          </div>
        </Col>
      </Row>
      <OpportunityFormDrawer open={editing} opportunity={o} onClose={() => setEditing(false)} />
      {mover.modal}
    </>
  );
}

/** The open stages in order, then where the deal closed (or "closed" while open). Clicking an open stage moves the opportunity there. */
function StageSteps({ pipeline, opportunity: o, disabled, onMove }: { pipeline: Pipeline; opportunity: Opportunity; disabled: boolean; onMove: (s: Stage) => void }) {
  const { t } = useTranslation();
  const open = pipeline.stages.filter((s) => s.kind === "open");
  const closedStage = o.status === "open" ? null : pipeline.stages.find((s) => s.id === o.stageId);
  const current = closedStage ? open.length : Math.max(0, open.findIndex((s) => s.id === o.stageId));
  return (
    <Steps
      style={{ marginTop: 20 }}
      size="small"
      current={current}
      status={o.status === "lost" ? "error" : o.status === "won" ? "finish" : "process"}
      onChange={disabled ? undefined : (i) => open[i] && open[i].id !== o.stageId && onMove(open[i])}
      items={[
        ...open.map((s) => ({ title: s.name, description: `${s.probability}%`, disabled: disabled || s.id === o.stageId })),
        { title: closedStage ? closedStage.name : t("opportunities.closed"), disabled: true },
      ]}
      data-testid="opportunity-steps"
    />
  );
}

function HistoryCard({ opportunity: o }: { opportunity: Opportunity }) {
  const { t } = useTranslation();
  const userName = useUserNames();
  // Under the opportunity's key: a move invalidates both.
  const history = useOpportunityHistory(o.id);
  const columns: TableColumnsType<HistoryItem> = [
    {
      key: "stage",
      title: t("opportunities.history.stage"),
      render: (_, h) => (
        <Flex gap={4} wrap="wrap" align="center">
          <span>{h.stageName || t("opportunities.history.deletedStage")}</span>
          {h.kind && h.kind !== "open" ? <StageKindTag kind={h.kind} /> : null}
        </Flex>
      ),
    },
    {
      key: "entered",
      title: t("opportunities.history.entered"),
      render: (_, h) => (
        <Flex vertical>
          <span>{dayjs(h.enteredAt).format("L LT")}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {userName(h.actorId) ?? ""}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: "days", title: t("opportunities.history.days"), align: "right", width: 80, render: (_, h) => <span data-testid="history-days">{t("opportunities.history.daysValue", { days: h.days.toFixed(h.days < 10 ? 1 : 0) })}</span> },
  ];
  return (
    <Card title={t("opportunities.history.title")} size="small" data-testid="opportunity-history">
      {history.isError ? (
        <QueryError error={history.error} onRetry={() => void history.refetch()} />
      ) : (
        <Table<HistoryItem>
          size="small"
          rowKey="seq"
          loading={history.isPending}
          columns={columns}
          dataSource={history.data ?? []}
          pagination={false}
          onRow={(h) => ({ "data-testid": `history-row-${h.stageName}` }) as HTMLAttributes<HTMLElement>}
        />
      )}
    </Card>
  );
}
