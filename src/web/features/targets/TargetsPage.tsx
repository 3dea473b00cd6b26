import { DeleteOutlined, EditOutlined, PlusOutlined, ApartmentOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Progress, Select, Segmented, Space, Table, Tabs, Tag, Typography, type ButtonProps, type TableColumnsType } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { Decimal } from "decimal.js";
import { useMemo, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { formatAmount } from "../orders/money.js";
import { EChart, type ChartOption } from "../sales-dashboard/EChart.js";
import { useTeams } from "../teams/api.js";
import { DepartmentSelect, UserSelect } from "../users/pickers.js";
import {
  breakDownTarget,
  createTarget,
  deleteTarget,
  isCount,
  PERIOD_TYPES,
  TARGET_METRICS,
  targetsKey,
  updateTarget,
  useForecast,
  useLeaderboard,
  useTargets,
  type PeriodType,
  type Target,
  type TargetMetric,
  type TargetScope,
} from "./api.js";

const percent = (ratio: number | null) => (ratio === null ? 0 : Math.round(ratio * 1000) / 10);

/** A target's figure: whole numbers for counts, money in the base currency otherwise. */
function useFigure(metric: TargetMetric) {
  // Targets are in the base currency: grouped digits without a symbol.
  return (value: string | null | undefined) => (value === null || value === undefined ? "—" : isCount(metric) ? value : formatAmount(value));
}

function Attainment({ ratio }: { ratio: number | null }) {
  // Over 100 % stays visible in the label; the bar itself is full.
  return <Progress percent={percent(ratio)} format={() => `${percent(ratio)}%`} size="small" status={ratio !== null && ratio >= 1 ? "success" : "normal"} style={{ minWidth: 120, margin: 0 }} data-testid="target-attainment" />;
}

/** Picks a team (single). */
function TeamSelect({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const can = useCan();
  const teams = useTeams(can("team:read"));
  return <Select value={value} onChange={onChange} showSearch={{ optionFilterProp: "label" }} loading={teams.isLoading} options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} />;
}

function ScopePicker({ scope, value, onChange }: { scope: TargetScope; value?: string; onChange?: (v: string | undefined) => void }) {
  if (scope === "department") return <DepartmentSelect value={value} onChange={(v) => onChange?.(v ?? undefined)} />;
  if (scope === "team") return <TeamSelect value={value} onChange={onChange} />;
  if (scope === "user") return <UserSelect value={value} onChange={(v) => onChange?.(typeof v === "string" ? v : undefined)} data-testid="target-scope-user" />;
  return null;
}

interface Filters {
  on: string;
  periodType: PeriodType;
  metric: TargetMetric;
}

/** Setting or changing one target. */
function TargetModal({ open, editing, filters, parents, onClose }: { open: boolean; editing: Target | null; filters: Filters; parents: Target[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ scope: TargetScope; scopeId?: string; amount: number | string; parentId?: string | null; notes?: string }>();
  const scope = Form.useWatch("scope", form) ?? "company";
  const save = useMutation({
    mutationFn: async (v: { scope: TargetScope; scopeId?: string; amount: number | string; parentId?: string | null; notes?: string }) => {
      const amount = String(v.amount);
      if (editing) return updateTarget(editing.id, { version: editing.version, amount, notes: v.notes ?? "" });
      return createTarget({ metric: filters.metric, periodType: filters.periodType, periodStart: filters.on, scope: v.scope, scopeId: v.scope === "company" ? undefined : v.scopeId, amount, parentId: v.parentId ?? null, notes: v.notes ?? "" });
    },
    onSuccess: () => {
      void message.success(t("targets.savedMsg"));
      void queryClient.invalidateQueries({ queryKey: targetsKey });
      onClose();
    },
    onError: (err) => showError(err, form),
  });
  return (
    <Modal
      open={open}
      title={editing ? t("targets.editTitle") : t("targets.createTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ "data-testid": "target-submit" } as ButtonProps}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (visible) form.setFieldsValue(editing ? { scope: editing.scope, scopeId: editing.scopeId, amount: editing.amount, notes: editing.notes } : { scope: "company", amount: undefined, parentId: null });
      }}
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="target-form">
        <Form.Item name="scope" label={t("targets.scope")}>
          <Segmented<TargetScope> disabled={Boolean(editing)} options={(["company", "department", "team", "user"] as const).map((s) => ({ value: s, label: t(`targets.scopeTypes.${s}`) }))} />
        </Form.Item>
        {editing ? (
          <Typography.Paragraph strong>{editing.scopeName}</Typography.Paragraph>
        ) : scope !== "company" ? (
          <Form.Item name="scopeId" label={t("targets.scopeId")} rules={[{ required: true, message: t("validation.select", { field: t("targets.scope") }) }]}>
            <ScopePicker scope={scope} />
          </Form.Item>
        ) : null}
        <Form.Item name="amount" label={`${t("targets.amount")} · ${t(`targets.metrics.${filters.metric}`)}`} rules={[{ required: true, message: t("validation.required", { field: t("targets.amount") }) }]}>
          <InputNumber<string> stringMode min="0" precision={isCount(filters.metric) ? 0 : 2} style={{ width: "100%" }} data-testid="target-amount" />
        </Form.Item>
        {!editing && scope !== "company" ? (
          <Form.Item name="parentId" label={t("targets.parent")}>
            <Select allowClear placeholder={t("targets.noParent")} options={parents.filter((p) => p.scope !== "user").map((p) => ({ value: p.id, label: `${t(`targets.scopeTypes.${p.scope}`)} · ${p.scopeName} (${p.amount})` }))} />
          </Form.Item>
        ) : null}
        <Form.Item name="notes" label={t("targets.notes")}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface Row {
  key: number;
  scope: Exclude<TargetScope, "company">;
  scopeId?: string;
  amount: string | null;
}

/** Breaking one target down in a table: a row per department, team or person, the rest left shown as it is typed. */
function BreakdownModal({ parent, existing, onClose }: { parent: Target | null; existing: Target[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<Row[]>([]);
  const [next, setNext] = useState(1);
  const figure = useFigure(parent?.metric ?? "order_amount");
  const typed = rows.reduce((s, r) => s.plus(r.amount && /^\d+(\.\d+)?$/.test(r.amount) ? r.amount : 0), new Decimal(0));
  const left = parent ? new Decimal(parent.amount).minus(typed) : new Decimal(0);
  const save = useMutation({
    mutationFn: () => breakDownTarget(parent!.id, rows.filter((r) => r.scopeId && r.amount !== null).map((r) => ({ scope: r.scope, scopeId: r.scopeId!, amount: r.amount! }))),
    onSuccess: () => {
      void message.success(t("targets.savedMsg"));
      void queryClient.invalidateQueries({ queryKey: targetsKey });
      onClose();
    },
    onError: (err) => showError(err),
  });
  const update = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const defaultScope: Row["scope"] = parent?.scope === "team" ? "user" : parent?.scope === "department" ? "user" : "department";
  return (
    <Modal
      open={Boolean(parent)}
      width={760}
      title={parent ? t("targets.breakdownTitle", { name: parent.scopeName }) : ""}
      onCancel={onClose}
      onOk={() => save.mutate()}
      confirmLoading={save.isPending}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (!visible) return;
        const kids = existing.filter((x) => x.parentId === parent?.id && x.scope !== "company");
        setRows(kids.map((k, i) => ({ key: i + 1, scope: k.scope as Row["scope"], scopeId: k.scopeId, amount: k.amount })));
        setNext(kids.length + 1);
      }}
    >
      <Typography.Paragraph type="secondary">{parent ? t("targets.breakdownHint", { amount: figure(parent.amount) }) : null}</Typography.Paragraph>
      <Table<Row>
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={rows}
        data-testid="target-breakdown"
        columns={[
          {
            key: "scope",
            title: t("targets.scope"),
            width: 120,
            render: (_, r) => (
              <Select<Row["scope"]>
                value={r.scope}
                style={{ width: "100%" }}
                onChange={(scope) => update(r.key, { scope, scopeId: undefined })}
                options={(["department", "team", "user"] as const).map((s) => ({ value: s, label: t(`targets.scopeTypes.${s}`) }))}
              />
            ),
          },
          { key: "scopeId", title: t("targets.scopeId"), render: (_, r) => <div style={{ minWidth: 200 }}><ScopePicker scope={r.scope} value={r.scopeId} onChange={(v) => update(r.key, { scopeId: v })} /></div> },
          {
            key: "amount",
            title: t("targets.amount"),
            width: 170,
            render: (_, r) => (
              <InputNumber<string> stringMode min="0" precision={parent && isCount(parent.metric) ? 0 : 2} value={r.amount} onChange={(v) => update(r.key, { amount: v })} style={{ width: "100%" }} />
            ),
          },
          { key: "remove", width: 40, render: (_, r) => <Button type="text" icon={<DeleteOutlined />} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))} /> },
        ]}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
        <Button
          icon={<PlusOutlined />}
          onClick={() => {
            setRows((rs) => [...rs, { key: next, scope: defaultScope, amount: null }]);
            setNext((k) => k + 1);
          }}
        >
          {t("targets.addRow")}
        </Button>
        {left.isNegative() ? <Tag color="error">{t("targets.overBy", { amount: figure(left.negated().toFixed(2)) })}</Tag> : <Tag>{t("targets.remaining", { amount: figure(left.toFixed(2)) })}</Tag>}
      </Flex>
    </Modal>
  );
}

/** Targets as a tree (company → departments → teams → people) with their progress. */
function TargetTable({ targets, metric, manage, onEdit, onBreakDown }: { targets: Target[]; metric: TargetMetric; manage: boolean; onEdit: (t: Target) => void; onBreakDown: (t: Target) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const figure = useFigure(metric);
  type Node = Target & { children?: Node[] };
  const tree = useMemo(() => {
    const nodes = new Map<string, Node>(targets.map((x) => [x.id, { ...x }]));
    const roots: Node[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId ? nodes.get(node.parentId) : undefined;
      if (parent) (parent.children ??= []).push(node);
      else roots.push(node);
    }
    return roots;
  }, [targets]);
  const remove = useMutation({
    mutationFn: (id: string) => deleteTarget(id),
    onSuccess: () => {
      void message.success(t("targets.deletedMsg"));
      void queryClient.invalidateQueries({ queryKey: targetsKey });
    },
    onError: (err) => showError(err),
  });
  const columns: TableColumnsType<Node> = [
    {
      key: "scope",
      title: t("targets.scope"),
      render: (_, x) => (
        <Space>
          <Tag>{t(`targets.scopeTypes.${x.scope}`)}</Tag>
          {x.scopeName}
        </Space>
      ),
    },
    { key: "amount", title: t("targets.amount"), align: "right", render: (_, x) => figure(x.amount) },
    { key: "actual", title: t("targets.actual"), align: "right", render: (_, x) => <span data-testid="target-actual">{figure(x.actual)}</span> },
    { key: "progress", title: t("targets.progress"), width: 200, render: (_, x) => <Attainment ratio={x.attainment} /> },
    { key: "children", title: t("targets.childrenTotal"), align: "right", render: (_, x) => (x.childCount ? figure(x.childrenTotal) : "—") },
    ...(manage
      ? [
          {
            key: "actions",
            title: t("common.actions"),
            width: 150,
            render: (_: unknown, x: Node) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(x)} aria-label={t("common.edit")} />
                {x.scope !== "user" ? (
                  <Button type="link" size="small" icon={<ApartmentOutlined />} onClick={() => onBreakDown(x)} data-testid={`target-breakdown-${x.scopeId}`}>
                    {t("targets.breakdown")}
                  </Button>
                ) : null}
                <Popconfirm title={t("targets.deleteConfirm")} onConfirm={() => remove.mutate(x.id)}>
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} />
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Table<Node>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={tree}
      pagination={false}
      expandable={{ defaultExpandAllRows: true }}
      onRow={(x) => ({ "data-testid": `target-row-${x.scope}-${x.scopeName}` }) as HTMLAttributes<HTMLElement>}
      locale={{ emptyText: <Empty description={t("targets.empty")} /> }}
      data-testid="targets-table"
    />
  );
}

function LeaderboardTab({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const board = useLeaderboard(filters);
  const figure = useFigure(filters.metric);
  if (board.isError) return <QueryError error={board.error} onRetry={() => void board.refetch()} />;
  return (
    <Table
      rowKey="userId"
      size="middle"
      loading={board.isFetching}
      pagination={false}
      dataSource={board.data?.items ?? []}
      data-testid="targets-leaderboard"
      columns={[
        { key: "rank", title: t("targets.rank"), width: 70, render: (_, r) => (r.rank <= 3 ? <Tag color={["gold", "default", "orange"][r.rank - 1]}>{r.rank}</Tag> : r.rank) },
        { key: "name", title: t("targets.person"), dataIndex: "name" },
        { key: "actual", title: t("targets.actual"), align: "right", render: (_, r) => figure(r.actual) },
        { key: "target", title: t("targets.amount"), align: "right", render: (_, r) => (r.target === null ? <Typography.Text type="secondary">{t("targets.noTarget")}</Typography.Text> : figure(r.target)) },
        { key: "progress", title: t("targets.progress"), width: 200, render: (_, r) => (r.target === null ? null : <Attainment ratio={r.attainment} />) },
      ]}
    />
  );
}

function ForecastTab({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const forecast = useForecast({ on: filters.on, periodType: filters.periodType });
  const data = forecast.data;
  const money = (v: string | null) => (v === null ? "—" : formatAmount(v, data?.currency));
  const chart = useMemo<ChartOption | null>(() => {
    if (!data?.items.length) return null;
    const people = data.items.slice(0, 15);
    // Drawn as floats; the table beside it shows the exact amounts.
    return {
      tooltip: { trigger: "axis", valueFormatter: (v) => formatAmount(String(v), data.currency) },
      legend: {},
      grid: { left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: people.map((p) => p.name) },
      yAxis: { type: "value" },
      series: [
        { name: t("targets.forecast.chartActual"), type: "bar", stack: "p", data: people.map((p) => Number(p.actual)) },
        { name: t("targets.forecast.chartWeighted"), type: "bar", stack: "p", data: people.map((p) => Number(p.weighted)) },
        { name: t("targets.forecast.chartTarget"), type: "line", data: people.map((p) => (p.target === null ? null : Number(p.target))) },
      ],
    };
  }, [data, t]);
  if (forecast.isError) return <QueryError error={forecast.error} onRetry={() => void forecast.refetch()} />;
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t("targets.forecast.hint")}</Typography.Text>
      {data?.missingRates.length ? <Alert type="warning" showIcon title={t("targets.forecast.missingRates", { currencies: data.missingRates.join(", ") })} /> : null}
      {chart ? <EChart option={chart} height={280} testId="targets-forecast-chart" /> : null}
      <Table
        rowKey="ownerId"
        size="small"
        loading={forecast.isFetching}
        pagination={false}
        dataSource={data?.items ?? []}
        data-testid="targets-forecast"
        columns={[
          { key: "name", title: t("targets.person"), dataIndex: "name" },
          { key: "openCount", title: t("targets.forecast.openCount"), align: "right", dataIndex: "openCount" },
          { key: "pipeline", title: t("targets.forecast.pipeline"), align: "right", render: (_, r) => money(r.pipeline) },
          { key: "weighted", title: t("targets.forecast.weighted"), align: "right", render: (_, r) => money(r.weighted) },
          { key: "actual", title: t("targets.forecast.actual"), align: "right", render: (_, r) => money(r.actual) },
          { key: "projected", title: t("targets.forecast.projected"), align: "right", render: (_, r) => <strong>{money(r.projected)}</strong> },
          { key: "target", title: t("targets.forecast.target"), align: "right", render: (_, r) => money(r.target) },
          { key: "attainment", title: t("targets.forecast.projectedAttainment"), width: 180, render: (_, r) => (r.target === null ? null : <Attainment ratio={r.projectedAttainment} />) },
        ]}
        summary={() =>
          data ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t("targets.forecast.total")}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {data.totals.openCount}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {money(data.totals.pipeline)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {money(data.totals.weighted)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {money(data.totals.actual)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                {money(data.totals.projected)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                {money(data.totals.target)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={7}>{data.totals.target === null ? null : <Attainment ratio={data.totals.projectedAttainment} />}</Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Flex>
  );
}

const PICKER: Record<PeriodType, "month" | "quarter" | "year"> = { month: "month", quarter: "quarter", year: "year" };

/** Targets (业绩目标): set and broken down from the top, progress, leaderboard, weighted forecast. */
export function TargetsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const manage = can("target:manage");
  const [filters, setFilters] = useState<Filters>({ on: dayjs().format("YYYY-MM-DD"), periodType: "month", metric: "order_amount" });
  const [editing, setEditing] = useState<Target | null>(null);
  const [creating, setCreating] = useState(false);
  const [breaking, setBreaking] = useState<Target | null>(null);
  const targets = useTargets(filters);
  const list = (targets.data ?? []).filter((x) => x.periodType === filters.periodType);

  return (
    <>
      <PageHeader
        title={t("targets.title")}
        subtitle={t("targets.subtitle")}
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="target-create">
              {t("targets.create")}
            </Button>
          ) : null
        }
      />
      <Card>
        <Flex gap={8} wrap="wrap" style={{ marginBottom: 16 }}>
          <Segmented<PeriodType> value={filters.periodType} onChange={(periodType) => setFilters((f) => ({ ...f, periodType }))} options={PERIOD_TYPES.map((p) => ({ value: p, label: t(`targets.periodTypes.${p}`) }))} />
          <DatePicker
            picker={PICKER[filters.periodType]}
            allowClear={false}
            value={dayjs(filters.on)}
            onChange={(d: Dayjs | null) => d && setFilters((f) => ({ ...f, on: d.format("YYYY-MM-DD") }))}
            data-testid="target-period"
          />
          <Select<TargetMetric>
            value={filters.metric}
            onChange={(metric) => setFilters((f) => ({ ...f, metric }))}
            style={{ minWidth: 160 }}
            options={TARGET_METRICS.map((m) => ({ value: m, label: t(`targets.metrics.${m}`) }))}
            data-testid="target-metric"
          />
        </Flex>
        <Tabs
          items={[
            {
              key: "targets",
              label: t("targets.tabs.targets"),
              children: targets.isError ? (
                <QueryError error={targets.error} onRetry={() => void targets.refetch()} />
              ) : (
                <TargetTable targets={list} metric={filters.metric} manage={manage} onEdit={setEditing} onBreakDown={setBreaking} />
              ),
            },
            { key: "leaderboard", label: t("targets.tabs.leaderboard"), children: <LeaderboardTab filters={filters} /> },
            ...(filters.metric === "order_amount" ? [{ key: "forecast", label: t("targets.tabs.forecast"), children: <ForecastTab filters={filters} /> }] : []),
          ]}
        />
      </Card>
      <TargetModal open={creating || Boolean(editing)} editing={editing} filters={filters} parents={list} onClose={() => {
          setCreating(false);
          setEditing(null);
        }} />
      <BreakdownModal parent={breaking} existing={list} onClose={() => setBreaking(null)} />
    </>
  );
}
