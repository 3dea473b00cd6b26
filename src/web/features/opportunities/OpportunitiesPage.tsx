import { AppstoreOutlined, PlusOutlined, SettingOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Flex, Input, Segmented, Select, Skeleton, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useCan } from "../../app/session.js";
import { formatAmount } from "../orders/money.js";
import { useUserNames } from "../users/names.js";
import { useOpportunities, usePipelines, type Opportunity, type OpportunityFilters, type OpportunityStatus, type Pipeline } from "./api.js";
import { Board } from "./Board.js";
import { OpportunityFormDrawer } from "./OpportunityFormDrawer.js";
import { OpportunityStatusTag } from "./tags.js";

type View = "board" | "list";
const SORTABLE = new Set(["name", "amount", "expectedClose", "updatedAt"]);

/** Opportunities (商机) of one pipeline at a time: the kanban board or a list. */
export function OpportunitiesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const pipelines = usePipelines();
  const [creating, setCreating] = useState(false);
  const view: View = params.get("view") === "list" ? "list" : "board";
  const pipeline = pipelines.data?.find((p) => p.id === params.get("pipeline")) ?? pipelines.data?.find((p) => p.isDefault) ?? pipelines.data?.[0];

  const set = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader
        title={t("opportunities.title")}
        subtitle={t("opportunities.subtitle")}
        extra={
          <>
            {can("pipeline:manage") ? (
              <Button icon={<SettingOutlined />} onClick={() => void navigate("/opportunities/pipelines")} data-testid="pipeline-settings">
                {t("opportunities.pipelines.title")}
              </Button>
            ) : null}
            {can("opportunity:create") ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="opportunity-create">
                {t("opportunities.create")}
              </Button>
            ) : null}
          </>
        }
      />
      <Flex gap={12} wrap="wrap" align="center" style={{ marginBottom: 12 }}>
        <Select
          value={pipeline?.id}
          onChange={(v: string) => set("pipeline", v)}
          loading={pipelines.isLoading}
          options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          style={{ minWidth: 200 }}
          aria-label={t("opportunities.pipeline")}
          data-testid="pipeline-select"
        />
        <Segmented<View>
          value={view}
          onChange={(v) => set("view", v === "board" ? null : v)}
          options={[
            { value: "board", label: t("opportunities.views.board"), icon: <AppstoreOutlined /> },
            { value: "list", label: t("opportunities.views.list"), icon: <UnorderedListOutlined /> },
          ]}
          data-testid="opportunity-view"
        />
      </Flex>
      {pipelines.isError ? (
        <QueryError error={pipelines.error} onRetry={() => void pipelines.refetch()} />
      ) : !pipeline ? (
        <Skeleton active />
      ) : view === "board" ? (
        <Board pipeline={pipeline} />
      ) : (
        <OpportunityList pipeline={pipeline} />
      )}
      <OpportunityFormDrawer
        open={creating}
        opportunity={null}
        defaults={{ pipelineId: pipeline?.id }}
        onClose={() => setCreating(false)}
        onCreated={(o) => {
          setCreating(false);
          void navigate(`/opportunities/${o.id}`);
        }}
      />
    </>
  );
}

function OpportunityList({ pipeline }: { pipeline: Pipeline }) {
  const { t } = useTranslation();
  const userName = useUserNames();
  const [filters, setFilters] = useState<Omit<OpportunityFilters, "pipelineId">>({ sort: "-updatedAt" });
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => ((f.q ?? "") === q ? f : { ...f, q })), 300);
    return () => clearTimeout(timer);
  }, [q]);
  const query = useOpportunities({ ...filters, pipelineId: pipeline.id });
  const rows = useQueryRows(query);
  const stages = useMemo(() => new Map(pipeline.stages.map((s) => [s.id, s])), [pipeline.stages]);
  const order = (field: string) => (filters.sort === field ? ("ascend" as const) : filters.sort === `-${field}` ? ("descend" as const) : null);
  const sortable = (field: string) => ({ sorter: true, sortOrder: order(field) });

  const columns: TableColumnsType<Opportunity> = [
    {
      key: "name",
      title: t("opportunities.name"),
      width: 220,
      ...sortable("name"),
      render: (_, o) => (
        <Link to={`/opportunities/${o.id}`} data-testid={`opportunity-link-${o.name}`}>
          {o.name}
        </Link>
      ),
    },
    { key: "customer", title: t("opportunities.customer"), width: 200, render: (_, o) => <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link> },
    { key: "stage", title: t("opportunities.stage"), width: 130, render: (_, o) => stages.get(o.stageId)?.name ?? "—" },
    { key: "status", title: t("opportunities.status"), width: 90, render: (_, o) => <OpportunityStatusTag status={o.status} /> },
    {
      key: "amount",
      title: t("opportunities.amount"),
      width: 140,
      align: "right",
      ...sortable("amount"),
      render: (_, o) => <span style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>{formatAmount(o.amount, o.currency)}</span>,
    },
    { key: "probability", title: t("opportunities.probability"), width: 80, align: "right", render: (_, o) => `${o.probability ?? stages.get(o.stageId)?.probability ?? 0}%` },
    { key: "expectedClose", title: t("opportunities.expectedClose"), width: 120, ...sortable("expectedClose"), render: (_, o) => (o.expectedClose ? dayjs(o.expectedClose).format("L") : "—") },
    { key: "owner", title: t("opportunities.owner"), width: 100, render: (_, o) => userName(o.ownerId) ?? "—" },
    { key: "updatedAt", title: t("common.updatedAt"), width: 140, ...sortable("updatedAt"), render: (_, o) => dayjs(o.updatedAt).format("L LT") },
  ];

  return (
    <Card styles={{ body: { padding: 0 } }}>
      <Flex gap={8} wrap="wrap" style={{ padding: 16 }}>
        <Input.Search allowClear placeholder={t("opportunities.searchPlaceholder")} value={q} onChange={(e) => setQ(e.target.value)} style={{ flex: "1 1 200px", maxWidth: 280 }} data-testid="opportunity-search" />
        <Select
          allowClear
          value={filters.stageId}
          onChange={(v: string | undefined) => setFilters((f) => ({ ...f, stageId: v }))}
          placeholder={t("opportunities.stage")}
          options={pipeline.stages.map((s) => ({ value: s.id, label: s.name }))}
          style={{ flex: "1 1 140px", maxWidth: 200 }}
        />
        <Select<OpportunityStatus>
          allowClear
          value={filters.status}
          onChange={(v) => setFilters((f) => ({ ...f, status: v }))}
          placeholder={t("opportunities.status")}
          options={(["open", "won", "lost"] as const).map((s) => ({ value: s, label: t(`opportunities.statuses.${s}`) }))}
          style={{ flex: "1 1 120px", maxWidth: 160 }}
        />
      </Flex>
      <InfiniteTable<Opportunity>
        query={query}
        rows={rows}
        testId="opportunities"
        resetScrollKey={[filters, pipeline.id]}
        rowKey="id"
        columns={columns}
        size="middle"
        locale={{ emptyText: <Empty description={t("opportunities.empty")} /> }}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const field = String(s?.columnKey ?? "");
          setFilters((f) => ({ ...f, sort: !s?.order || !SORTABLE.has(field) ? "-updatedAt" : s.order === "descend" ? `-${field}` : field }));
        }}
        onRow={(o) => ({ "data-testid": `opportunity-row-${o.name}` }) as HTMLAttributes<HTMLElement>}
      />
    </Card>
  );
}
