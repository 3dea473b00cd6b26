import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Empty, Flex, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { useCan } from "../../app/session.js";
import { useUserNames } from "../users/names.js";
import { ORDER_STATUSES, useOrders, type Order, type OrderFilters, type OrderStatus } from "./api.js";
import { DocumentFilterBar, StatusFilter } from "./filters.js";
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
          <StatusFilter<OrderStatus>
            value={filters.status}
            onChange={(status) => setFilters((f) => ({ ...f, status }))}
            statuses={ORDER_STATUSES}
            allLabel={t("orders.allStatuses")}
            labelOf={(s) => t(`orders.statuses.${s}`)}
            testId="order-status-filter"
          />
          <DocumentFilterBar customerId={filters.customerId} setFilters={setFilters} rows={rows} placeholder={t("orders.numberSearch")} searchTestId="order-search">
            <DatePicker.RangePicker
              allowEmpty={[true, true]}
              value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
              onChange={(r) => setFilters((f) => ({ ...f, from: r?.[0]?.format("YYYY-MM-DD"), to: r?.[1]?.format("YYYY-MM-DD") }))}
            />
          </DocumentFilterBar>
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
