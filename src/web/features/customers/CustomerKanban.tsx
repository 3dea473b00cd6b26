import { MoreOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Card, Dropdown, Empty, Flex, Spin, Typography } from "antd";
import { useMemo, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import {
  customersKey,
  GRADES,
  LIFECYCLE_STAGES,
  updateCustomer,
  useCustomerCounts,
  useCustomers,
  type Customer,
  type CustomerFilters,
  type CustomerGroupBy,
  type Grade,
  type LifecycleStage,
} from "./api.js";
import { useUserNames } from "./fields.js";
import { GRADE_COLORS, STAGE_COLORS } from "./format.js";
import { GradeTag, StageTag } from "./tags.js";

/** A column's value: a stage, a grade, or null (no grade yet). */
type ColumnValue = string | null;
const DRAG_TYPE = "application/x-guanxi-customer";
const COLUMN_PAGE = 20;
const NONE = "__none__";

const COLOR_HEX: Record<string, string> = {
  default: "#bfbfbf",
  blue: "#1677ff",
  cyan: "#13c2c2",
  green: "#52c41a",
  orange: "#fa8c16",
  red: "#f5222d",
  volcano: "#fa541c",
  gold: "#faad14",
};

/** The filters of one column: the list's filters narrowed to the column's value. */
function columnFilters(f: CustomerFilters, groupBy: CustomerGroupBy, value: ColumnValue): CustomerFilters {
  if (groupBy === "lifecycleStage") return { ...f, lifecycleStage: [value as LifecycleStage] };
  if (value === null) return { ...f, grade: undefined, extra: [...(f.extra ?? []), "grade:null:true"] };
  return { ...f, grade: [value as Grade] };
}

/**
 * Customers as cards in columns by lifecycle stage or grade. Column headers
 * count everything that matches; cards load per column. Dragging a card (or
 * its menu, on touch screens) moves the customer to that stage or grade.
 */
export function CustomerKanban({ filters, groupBy }: { filters: CustomerFilters; groupBy: CustomerGroupBy }) {
  const { t } = useTranslation();
  const counts = useCustomerCounts(filters, groupBy);
  const values: ColumnValue[] = useMemo(() => {
    if (groupBy === "lifecycleStage") return filters.lifecycleStage?.length ? LIFECYCLE_STAGES.filter((s) => filters.lifecycleStage!.includes(s)) : [...LIFECYCLE_STAGES];
    return filters.grade?.length ? GRADES.filter((g) => filters.grade!.includes(g)) : [...GRADES, null];
  }, [groupBy, filters.lifecycleStage, filters.grade]);
  const countOf = (v: ColumnValue) => counts.data?.find((g) => g.value === v)?.count ?? 0;
  const labelOf = (v: ColumnValue) => (v === null ? t("kanban.noGrade") : groupBy === "lifecycleStage" ? t(`customers.stages.${v as LifecycleStage}`) : t(`customers.grades.${v as Grade}`));
  const colorOf = (v: ColumnValue) => COLOR_HEX[(v === null ? "default" : groupBy === "lifecycleStage" ? STAGE_COLORS[v] : GRADE_COLORS[v]) ?? "default"] ?? "#bfbfbf";

  return (
    <div style={{ overflowX: "auto", padding: 16, paddingTop: 0 }} data-testid="customer-kanban">
      <Flex gap={12} align="flex-start" style={{ minWidth: "min-content" }}>
        {values.map((v) => (
          <KanbanColumn
            key={v ?? NONE}
            filters={filters}
            groupBy={groupBy}
            value={v}
            values={values}
            label={labelOf(v)}
            labelOf={labelOf}
            color={colorOf(v)}
            count={countOf(v)}
          />
        ))}
      </Flex>
    </div>
  );
}

function KanbanColumn({
  filters,
  groupBy,
  value,
  values,
  label,
  labelOf,
  color,
  count,
}: {
  filters: CustomerFilters;
  groupBy: CustomerGroupBy;
  value: ColumnValue;
  values: ColumnValue[];
  label: string;
  labelOf: (v: ColumnValue) => string;
  color: string;
  count: number;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const handleSaveError = useSaveErrorHandler();
  const cards = useCustomers(columnFilters(filters, groupBy, value), { pageSize: COLUMN_PAGE });
  const rows = useMemo(() => cards.data?.pages.flatMap((p) => p.items) ?? [], [cards.data]);
  const [over, setOver] = useState(false);
  const movable = can("customer:update");

  const move = useMutation({
    mutationFn: ({ customer, to }: { customer: Pick<Customer, "id" | "version">; to: ColumnValue }) =>
      updateCustomer(customer.id, groupBy === "lifecycleStage" ? { lifecycleStage: to as LifecycleStage, version: customer.version } : { grade: to as Grade | null, version: customer.version }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: customersKey }),
    // Someone changed the card meanwhile: the board reloads (onSettled) and says so.
    onError: (err) => handleSaveError(err, undefined, () => undefined),
  });

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const raw = e.dataTransfer.getData(DRAG_TYPE);
    if (!raw) return;
    const card = JSON.parse(raw) as { id: string; version: number; from: ColumnValue };
    if (card.from === value) return;
    move.mutate({ customer: card, to: value });
  };

  return (
    <Card
      size="small"
      style={{ width: 272, flex: "none", background: over ? "#f0f5ff" : "#fafafa", borderTop: `3px solid ${color}` }}
      styles={{ body: { padding: 8 } }}
      title={
        <Flex justify="space-between" align="center">
          <span>{label}</span>
          <Badge count={count} showZero color="#d9d9d9" style={{ color: "#595959" }} overflowCount={99999} data-testid="kanban-count" />
        </Flex>
      }
      onDragOver={
        movable
          ? (e) => {
              if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
              e.preventDefault();
              setOver(true);
            }
          : undefined
      }
      onDragLeave={() => setOver(false)}
      onDrop={movable ? onDrop : undefined}
      data-testid={`kanban-column-${value ?? NONE}`}
    >
      <Flex vertical gap={8} style={{ minHeight: 80 }}>
        {cards.isPending ? (
          <Flex justify="center" style={{ padding: 16 }}>
            <Spin />
          </Flex>
        ) : rows.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("kanban.emptyColumn")} style={{ marginBlock: 8 }} />
        ) : (
          rows.map((c) => (
            <KanbanCard
              key={c.id}
              customer={c}
              groupBy={groupBy}
              movable={movable}
              from={value}
              targets={values.filter((v) => v !== value)}
              labelOf={labelOf}
              onMove={(to) => move.mutate({ customer: c, to })}
            />
          ))
        )}
        {cards.hasNextPage ? (
          <Button size="small" type="link" onClick={() => void cards.fetchNextPage()} loading={cards.isFetchingNextPage}>
            {t("common.loadMore")}
          </Button>
        ) : null}
      </Flex>
    </Card>
  );
}

function KanbanCard({
  customer: c,
  groupBy,
  movable,
  from,
  targets,
  labelOf,
  onMove,
}: {
  customer: Customer;
  groupBy: CustomerGroupBy;
  movable: boolean;
  from: ColumnValue;
  targets: ColumnValue[];
  labelOf: (v: ColumnValue) => string;
  onMove: (to: ColumnValue) => void;
}) {
  const { t } = useTranslation();
  const userName = useUserNames();
  return (
    <div
      draggable={movable}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, JSON.stringify({ id: c.id, version: c.version, from }));
        e.dataTransfer.effectAllowed = "move";
      }}
      style={{ background: "#fff", border: "1px solid #f0f0f0", borderRadius: 6, padding: "8px 10px", cursor: movable ? "grab" : undefined }}
      data-testid={`kanban-card-${c.code}`}
    >
      <Flex justify="space-between" align="flex-start" gap={4}>
        <Link to={`/customers/${c.id}`} style={{ fontWeight: 500, wordBreak: "break-word" }}>
          {c.name}
        </Link>
        {movable ? (
          <Dropdown
            trigger={["click"]}
            menu={{
              items: [{ type: "group", key: "to", label: t("kanban.moveTo"), children: targets.map((v) => ({ key: v ?? NONE, label: labelOf(v) })) }],
              onClick: ({ key }) => onMove(key === NONE ? null : key),
            }}
          >
            <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t("kanban.moveTo")} />
          </Dropdown>
        ) : null}
      </Flex>
      <Flex gap={6} wrap="wrap" align="center" style={{ marginTop: 4 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {c.code}
        </Typography.Text>
        {groupBy === "lifecycleStage" ? <GradeTag grade={c.grade} /> : <StageTag stage={c.lifecycleStage} />}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {c.ownerId ? userName(c.ownerId) : t("customers.publicPool")}
        </Typography.Text>
      </Flex>
    </div>
  );
}
