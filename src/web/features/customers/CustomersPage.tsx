import { AppstoreOutlined, PlusOutlined, RestOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Flex, Grid, Input, Segmented, Select, Tooltip, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { useCan } from "../../app/session.js";
import { useActiveCustomFields, type CustomField } from "../custom-fields/api.js";
import { CustomFieldValue } from "../custom-fields/CustomFieldValue.js";
import type { SavedView, ViewLayout } from "../views/api.js";
import { ViewSelector } from "../views/ViewSelector.js";
import { exportQueryOf } from "../exports/api.js";
import { ExportButton } from "../exports/ExportButton.js";
import {
  CUSTOMER_KINDS,
  CUSTOMER_STATUSES,
  filtersOf,
  GRADES,
  LIFECYCLE_STAGES,
  parseFilters,
  useCustomers,
  type Customer,
  type CustomerFilters,
  type CustomerGroupBy,
  type CustomerSort,
} from "./api.js";
import { BulkActionsBar } from "./BulkActionsBar.js";
import { ColumnChooser, useStoredColumns } from "./ColumnChooser.js";
import { CustomerFormDrawer } from "./CustomerFormDrawer.js";
import { CustomerKanban } from "./CustomerKanban.js";
import { PhoneLinks, useUserNames } from "./fields.js";
import { OwnerFilter } from "./OwnerFilter.js";
import { GradeTag, StageTag, StatusTag, TagList } from "./tags.js";

const COLUMNS = ["code", "kind", "owner", "lifecycleStage", "grade", "industry", "phone", "tags", "updatedAt"] as const;
const DEFAULT_COLUMNS = ["code", "owner", "lifecycleStage", "grade", "phone", "tags", "updatedAt"] as const;
const SORTABLE = new Set<string>(["code", "name", "lifecycleStage", "grade", "industry", "updatedAt"]);
/** Custom field types the list can sort by. */
const SORTABLE_CUSTOM = new Set<CustomField["type"]>(["text", "number", "money", "date", "select", "url"]);
const DEFAULT_FILTERS: CustomerFilters = { sort: "-updatedAt" };
const customColumn = (f: CustomField) => `custom.${f.key}`;

export function CustomersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const userName = useUserNames();
  const customFields = useActiveCustomFields("customer");

  const [search, setSearch] = useState("");
  const [filters, setFilters] = useState<CustomerFilters>(DEFAULT_FILTERS);
  const [selected, setSelected] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [layout, setLayout] = useState<ViewLayout>("list");
  const [groupBy, setGroupBy] = useState<CustomerGroupBy>("lifecycleStage");
  const [viewId, setViewId] = useState<string | undefined>();
  const allColumns = useMemo(() => [...COLUMNS, ...(customFields.data ?? []).map(customColumn)], [customFields.data]);
  const [visible, setVisible, resetVisible] = useStoredColumns("guanxi.customers.columns", allColumns, DEFAULT_COLUMNS);

  const update = (patch: Partial<CustomerFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected([]);
  };

  // Search as the user types, once they pause.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => ((f.q ?? "") === search ? f : { ...f, q: search })), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const kanban = layout === "kanban";
  const customers = useCustomers(filters, { enabled: !kanban });
  const rows = useQueryRows(customers);
  const knownTags = useMemo(() => [...new Set(rows.flatMap((r) => r.tags))].sort(), [rows]);
  const filtered = Boolean(filters.q || filters.lifecycleStage?.length || filters.grade?.length || filters.status || filters.kind || filters.ownerId || filters.tag?.length || filters.extra?.length);

  const order = (field: string) => (filters.sort === field ? ("ascend" as const) : filters.sort === `-${field}` ? ("descend" as const) : null);
  const sortable = (field: string) => ({ sorter: true, sortOrder: order(field) });

  const applyView = (v: SavedView) => {
    setViewId(v.id);
    setSearch(v.query.q ?? "");
    setFilters({ ...parseFilters(v.query.filter), q: v.query.q ?? "", sort: (v.query.sort ?? "-updatedAt") as CustomerSort });
    if (v.query.columns.length) setVisible(v.query.columns);
    setLayout(v.layout);
    if (v.query.groupBy === "lifecycleStage" || v.query.groupBy === "grade") setGroupBy(v.query.groupBy);
    setSelected([]);
  };
  const clearView = () => {
    setViewId(undefined);
    setSearch("");
    setFilters(DEFAULT_FILTERS);
    setSelected([]);
  };

  // Widths are minimums: the virtual table spreads spare room over the columns, and scrolls sideways when they do not fit.
  const optional: Record<string, TableColumnsType<Customer>[number]> = {
    code: {
      key: "code",
      title: t("customers.code"),
      dataIndex: "code",
      width: 124,
      ...sortable("code"),
      render: (v: string) => (
        <Typography.Text copyable={{ text: v }} style={{ whiteSpace: "nowrap" }}>
          {v}
        </Typography.Text>
      ),
    },
    kind: { key: "kind", title: t("customers.kind"), dataIndex: "kind", width: 80, render: (k: Customer["kind"]) => t(`customers.kinds.${k}`) },
    owner: {
      key: "owner",
      title: t("customers.owner"),
      width: 88,
      render: (_, c) => (
        <span style={{ whiteSpace: "nowrap" }}>
          {c.ownerId ? (userName(c.ownerId) ?? "—") : <Typography.Text type="secondary">{t("customers.publicPool")}</Typography.Text>}
        </span>
      ),
    },
    lifecycleStage: { key: "lifecycleStage", title: t("customers.lifecycleStage"), width: 100, ...sortable("lifecycleStage"), render: (_, c) => <StageTag stage={c.lifecycleStage} /> },
    grade: { key: "grade", title: t("customers.grade"), width: 92, ...sortable("grade"), render: (_, c) => (c.grade ? <GradeTag grade={c.grade} /> : "—") },
    industry: { key: "industry", title: t("customers.industry"), dataIndex: "industry", width: 110, ...sortable("industry"), render: (v: string) => v || "—" },
    phone: { key: "phone", title: t("customers.phone"), width: 136, render: (_, c) => <PhoneLinks phones={c.phones} compact masked={c.contactDetailsMasked} /> },
    tags: { key: "tags", title: t("customers.tags"), width: 136, render: (_, c) => <TagList tags={c.tags} max={2} /> },
    updatedAt: {
      key: "updatedAt",
      title: t("common.updatedAt"),
      dataIndex: "updatedAt",
      width: 100,
      ...sortable("updatedAt"),
      render: (v: string) => (
        <Tooltip title={dayjs(v).format("L LT")}>
          <span style={{ whiteSpace: "nowrap" }}>{dayjs(v).format("L")}</span>
        </Tooltip>
      ),
    },
  };

  for (const f of customFields.data ?? []) {
    optional[customColumn(f)] = {
      key: customColumn(f),
      title: f.label,
      ...(SORTABLE_CUSTOM.has(f.type) ? sortable(customColumn(f)) : {}),
      render: (_, c) => <CustomFieldValue field={f} value={c.custom?.[f.key]} />,
    };
  }

  const nameColumn: TableColumnsType<Customer>[number] = {
    key: "name",
    title: t("customers.name"),
    // On a phone the name takes what the phone column leaves.
    ...(mobile ? {} : { width: 180, ...sortable("name") }),
    render: (_, c) => (
      <Flex vertical gap={2} style={{ minWidth: mobile ? 0 : 160 }}>
        <Flex gap={6} align="center" wrap="wrap">
          <Link to={`/customers/${c.id}`} data-testid={`customer-link-${c.code}`} style={{ fontWeight: 500 }}>
            {c.name}
          </Link>
          {c.status !== "active" ? <StatusTag status={c.status} /> : null}
        </Flex>
        {mobile ? (
          <Flex gap={6} align="center" wrap="wrap">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.code}
            </Typography.Text>
            <StageTag stage={c.lifecycleStage} />
            <GradeTag grade={c.grade} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.ownerId ? userName(c.ownerId) : t("customers.publicPool")}
            </Typography.Text>
          </Flex>
        ) : c.shortName ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.shortName}
          </Typography.Text>
        ) : null}
      </Flex>
    ),
  };

  // On a phone the name cell carries code, stage, grade and owner; the chooser applies from tablets up.
  const columns: TableColumnsType<Customer> = mobile
    ? [nameColumn, { ...optional.phone!, width: 130 }]
    : [...(visible.includes("code") ? [optional.code!] : []), nameColumn, ...visible.filter((k) => k !== "code" && optional[k]).map((k) => optional[k]!)];

  return (
    <>
      <PageHeader
        title={t("customers.title")}
        subtitle={t("customers.subtitle")}
        extra={
          <>
            {can("customer:restore") ? (
              <Button icon={<RestOutlined />} onClick={() => void navigate("/customers/trash")} data-testid="customers-trash">
                {t("trash.title")}
              </Button>
            ) : null}
            <ExportButton
              objectType="customer"
              query={exportQueryOf({ filter: filtersOf(filters), sort: filters.sort, q: filters.q, columns: visible })}
            />
            {can("customer:create") ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-create">
                {t("customers.create")}
              </Button>
            ) : null}
          </>
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={8} wrap="wrap" align="center" style={{ padding: 16, paddingBottom: 0 }}>
          <ViewSelector
            objectType="customer"
            activeId={viewId}
            current={{
              layout,
              query: { filter: filtersOf(filters), sort: filters.sort, q: filters.q?.trim() || undefined, columns: visible, groupBy: kanban ? groupBy : undefined },
            }}
            onApply={applyView}
            onClear={clearView}
            style={{ flex: "1 1 220px", maxWidth: mobile ? undefined : 320 }}
          />
          <div style={{ flex: mobile ? "none" : 1 }} />
          <Segmented<ViewLayout>
            value={layout}
            onChange={(v) => {
              setLayout(v);
              setSelected([]);
            }}
            options={[
              { value: "list", icon: <UnorderedListOutlined />, label: mobile ? undefined : t("kanban.list"), title: t("kanban.list") },
              { value: "kanban", icon: <AppstoreOutlined />, label: mobile ? undefined : t("kanban.board"), title: t("kanban.board") },
            ]}
            data-testid="layout-toggle"
          />
          {kanban ? (
            <Select<CustomerGroupBy>
              value={groupBy}
              onChange={setGroupBy}
              options={[
                { value: "lifecycleStage", label: t("kanban.byStage") },
                { value: "grade", label: t("kanban.byGrade") },
              ]}
              style={{ width: 130 }}
              aria-label={t("kanban.groupBy")}
              data-testid="kanban-group-by"
            />
          ) : null}
        </Flex>
        <Flex gap={8} wrap="wrap" style={{ padding: 16 }}>
          <Input.Search
            allowClear
            placeholder={t("customers.searchPlaceholder")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => {
              setSearch(v);
              update({ q: v });
            }}
            style={{ flex: "1 1 220px", maxWidth: mobile ? undefined : 320 }}
            data-testid="customer-search"
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t("customers.lifecycleStage")}
            value={filters.lifecycleStage ?? []}
            onChange={(v) => update({ lifecycleStage: v })}
            options={LIFECYCLE_STAGES.map((s) => ({ value: s, label: t(`customers.stages.${s}`) }))}
            style={{ flex: "1 1 150px", maxWidth: mobile ? undefined : 220 }}
          />
          <Select
            mode="multiple"
            allowClear
            placeholder={t("customers.grade")}
            value={filters.grade ?? []}
            onChange={(v) => update({ grade: v })}
            options={GRADES.map((g) => ({ value: g, label: t(`customers.grades.${g}`) }))}
            style={{ flex: "1 1 110px", maxWidth: mobile ? undefined : 170 }}
          />
          <Select
            allowClear
            placeholder={t("customers.status")}
            value={filters.status}
            onChange={(v) => update({ status: v })}
            options={CUSTOMER_STATUSES.map((s) => ({ value: s, label: t(`customers.statuses.${s}`) }))}
            style={{ flex: "1 1 110px", maxWidth: mobile ? undefined : 140 }}
          />
          <Select
            allowClear
            placeholder={t("customers.kind")}
            value={filters.kind}
            onChange={(v) => update({ kind: v })}
            options={CUSTOMER_KINDS.map((k) => ({ value: k, label: t(`customers.kinds.${k}`) }))}
            style={{ flex: "1 1 110px", maxWidth: mobile ? undefined : 140 }}
          />
          <OwnerFilter value={filters.ownerId} onChange={(v) => update({ ownerId: v })} style={{ flex: "1 1 140px", maxWidth: mobile ? undefined : 200 }} />
          <Select
            mode="tags"
            allowClear
            maxTagCount="responsive"
            placeholder={t("customers.tags")}
            value={filters.tag ?? []}
            onChange={(v: string[]) => update({ tag: v })}
            options={knownTags.map((v) => ({ value: v, label: v }))}
            style={{ flex: "1 1 140px", maxWidth: mobile ? undefined : 220 }}
          />
          {mobile || kanban ? null : (
            <ColumnChooser value={visible} onChange={setVisible} onReset={resetVisible} options={allColumns.map((k) => ({ value: k, label: String(optional[k]?.title ?? k) }))} />
          )}
        </Flex>
        {kanban ? <CustomerKanban filters={filters} groupBy={groupBy} /> : null}
        {!kanban && selected.length > 0 ? <BulkActionsBar selected={selected} rows={rows} knownTags={knownTags} onDone={() => setSelected([])} onClear={() => setSelected([])} /> : null}
        {kanban ? null : (
          <InfiniteTable<Customer>
            query={customers}
            rows={rows}
            testId="customers"
            resetScrollKey={filters}
            rowKey="id"
            columns={columns}
            size="middle"
            rowSelection={
              ["customer:update", "customer:delete", "customer:export", "pool:claim"].some(can)
                ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), columnWidth: 40 }
                : undefined
            }
            locale={{
              emptyText: (
                <Empty description={filtered ? t("customers.noMatches") : t("customers.empty")}>
                  {!filtered && can("customer:create") ? (
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                      {t("customers.create")}
                    </Button>
                  ) : null}
                </Empty>
              ),
            }}
            onChange={(_p, _f, sorter) => {
              const s = Array.isArray(sorter) ? sorter[0] : sorter;
              const field = String(s?.columnKey ?? "");
              if (!s?.order || !(SORTABLE.has(field) || field.startsWith("custom."))) update({ sort: "-updatedAt" });
              else update({ sort: (s.order === "descend" ? `-${field}` : field) as CustomerSort });
            }}
            onRow={(c) => ({ "data-testid": `customer-row-${c.code}` }) as HTMLAttributes<HTMLElement>}
          />
        )}
      </Card>
      <CustomerFormDrawer open={creating} customerId={null} onClose={() => setCreating(false)} onCreated={(c) => void navigate(`/customers/${c.id}`)} />
    </>
  );
}
