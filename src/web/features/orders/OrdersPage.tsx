import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Empty, Flex, Input, Segmented, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useEffect, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { useCan } from "../../app/session.js";
import { CustomerPicker } from "../contacts/CustomerPicker.js";
import { useUserNames } from "../users/names.js";
import { ORDER_STATUSES, useOrders, type Order, type OrderFilters, type OrderStatus } from "./api.js";
import { formatAmount } from "./money.js";
import { OrderStatusTag } from "./tags.js";

const SORTABLE = new Set(["number", "orderDate", "total"]);

/** The columns of an order list (also on the customer page, without the customer). */
export function useOrderColumns(opts: { customer: boolean; sortOrder?: (field: string) => "ascend" | "descend" | null }): TableColumnsType<Order> {
  const { t } = useTranslation();
  const userName = useUserNames();
  const sortable = (field: string) => (opts.sortOrder ? { sorter: true, sortOrder: opts.sortOrder(field) } : {});
  return [
    {
      key: "number",
      title: t("orders.number"),
      width: 150,
      ...sortable("number"),
      render: (_, o) => (
        <Link to={`/orders/${o.id}`} data-testid={`order-link-${o.number}`} style={{ whiteSpace: "nowrap" }}>
          {o.number}
        </Link>
      ),
    },
    ...(opts.customer ? [{ key: "customer", title: t("orders.customer"), width: 200, render: (_: unknown, o: Order) => <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link> }] : []),
    { key: "orderDate", title: t("orders.orderDate"), width: 110, ...sortable("orderDate"), render: (_, o) => dayjs(o.orderDate).format("L") },
    { key: "status", title: t("approvals.status"), width: 100, render: (_, o) => <OrderStatusTag status={o.status} /> },
    {
      key: "total",
      title: t("orders.total"),
      width: 140,
      align: "right",
      ...sortable("total"),
      render: (_, o) => <span style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>{formatAmount(o.total, o.currency)}</span>,
    },
    { key: "owner", title: t("orders.owner"), width: 100, render: (_, o) => userName(o.ownerId) ?? "—" },
  ];
}

/** Orders: status tabs, customer, date range and number search; totals right-aligned. */
export function OrdersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<OrderFilters>({ sort: "-orderDate" });
  const [number, setNumber] = useState("");
  const [customerName, setCustomerName] = useState<Record<string, string>>({});

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => ((f.number ?? "") === number ? f : { ...f, number })), 300);
    return () => clearTimeout(timer);
  }, [number]);

  const orders = useOrders(filters);
  const rows = useQueryRows(orders);
  const order = (field: string) => (filters.sort === field ? ("ascend" as const) : filters.sort === `-${field}` ? ("descend" as const) : null);
  const columns = useOrderColumns({ customer: true, sortOrder: order });
  const filtered = Boolean(filters.status || filters.customerId || filters.from || filters.to || filters.number);

  return (
    <>
      <PageHeader
        title={t("orders.title")}
        subtitle={t("orders.subtitle")}
        extra={
          can("order:create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate("/orders/new")} data-testid="order-create">
              {t("orders.create")}
            </Button>
          ) : null
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex vertical gap={12} style={{ padding: 16 }}>
          <Segmented<OrderStatus | "all">
            value={filters.status ?? "all"}
            onChange={(v) => setFilters((f) => ({ ...f, status: v === "all" ? undefined : v }))}
            options={[{ value: "all" as const, label: t("orders.allStatuses") }, ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`orders.statuses.${s}`) }))]}
            style={{ alignSelf: "flex-start", maxWidth: "100%", overflowX: "auto" }}
            data-testid="order-status-filter"
          />
          <Flex gap={8} wrap="wrap">
            <Input.Search allowClear placeholder={t("orders.numberSearch")} value={number} onChange={(e) => setNumber(e.target.value)} style={{ flex: "1 1 180px", maxWidth: 240 }} data-testid="order-search" />
            <div style={{ flex: "1 1 220px", maxWidth: 300 }}>
              <CustomerPicker
                value={filters.customerId}
                known={customerName}
                onChange={(v) => {
                  const hit = rows.find((r) => r.customerId === v);
                  if (v && hit) setCustomerName({ [v]: hit.customerName });
                  setFilters((f) => ({ ...f, customerId: v }));
                }}
              />
            </div>
            <DatePicker.RangePicker
              allowEmpty={[true, true]}
              value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
              onChange={(r) => setFilters((f) => ({ ...f, from: r?.[0]?.format("YYYY-MM-DD"), to: r?.[1]?.format("YYYY-MM-DD") }))}
            />
          </Flex>
        </Flex>
        <InfiniteTable<Order>
          query={orders}
          rows={rows}
          testId="orders"
          resetScrollKey={filters}
          rowKey="id"
          columns={columns}
          size="middle"
          locale={{
            emptyText: (
              <Empty description={filtered ? t("orders.noMatches") : t("orders.empty")}>
                {!filtered && can("order:create") ? (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate("/orders/new")}>
                    {t("orders.create")}
                  </Button>
                ) : null}
              </Empty>
            ),
          }}
          onChange={(_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const field = String(s?.columnKey ?? "");
            setFilters((f) => ({ ...f, sort: !s?.order || !SORTABLE.has(field) ? "-orderDate" : s.order === "descend" ? `-${field}` : field }));
          }}
          onRow={(o) => ({ "data-testid": `order-row-${o.number}` }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
    </>
  );
}
