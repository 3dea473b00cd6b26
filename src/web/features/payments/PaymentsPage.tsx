import { PlusOutlined, StopOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Empty, Flex, Popconfirm, Select, Table, Tabs, Tag, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { DocumentFilterBar } from "../orders/filters.js";
import { formatAmount } from "../orders/money.js";
import {
  AGEING_BUCKETS,
  INVOICE_TYPES,
  PAYMENT_METHODS,
  paymentsKey,
  useInvoices,
  usePayments,
  useReceivables,
  voidInvoice,
  type Ageing,
  type Invoice,
  type InvoiceFilters,
  type Payment,
  type PaymentFilters,
  type Receivables,
} from "./api.js";
import { usePaymentColumns, VoidPaymentModal } from "./columns.js";
import { InvoiceModal } from "./InvoiceModal.js";
import { RecordPaymentDrawer } from "./RecordPaymentDrawer.js";

export type PaymentsTab = "payments" | "receivables" | "invoices";
const PATHS: Record<PaymentsTab, string> = { payments: "/payments", receivables: "/payments/receivables", invoices: "/payments/invoices" };

/** 回款: payments received, receivables ageing and invoices, one tab each (each its own URL). */
export function PaymentsPage({ tab }: { tab: PaymentsTab }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [recording, setRecording] = useState(false);
  const [invoicing, setInvoicing] = useState(false);
  const extra =
    tab === "payments" && can("payment:create") ? (
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="payment-record">
        {t("payments.record.button")}
      </Button>
    ) : tab === "invoices" && can("invoice:create") ? (
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setInvoicing(true)} data-testid="invoice-create">
        {t("payments.invoices.create")}
      </Button>
    ) : null;
  const tabs = [
    ...(can("payment:read") ? [{ key: "payments" as const, label: <span data-testid="payments-tab-payments">{t("payments.tabs.payments")}</span>, children: <PaymentsList /> }] : []),
    ...(can("order:read") ? [{ key: "receivables" as const, label: <span data-testid="payments-tab-receivables">{t("payments.tabs.receivables")}</span>, children: <ReceivablesView /> }] : []),
    ...(can("invoice:read") ? [{ key: "invoices" as const, label: <span data-testid="payments-tab-invoices">{t("payments.tabs.invoices")}</span>, children: <InvoicesList /> }] : []),
  ];
  return (
    <>
      <PageHeader title={t("payments.title")} subtitle={t("payments.subtitle")} extra={extra} />
      <Tabs activeKey={tab} onChange={(k) => void navigate(PATHS[k as PaymentsTab])} items={tabs} destroyOnHidden data-testid="payments-tabs" />
      <RecordPaymentDrawer open={recording} onClose={() => setRecording(false)} />
      <InvoiceModal open={invoicing} onClose={() => setInvoicing(false)} />
    </>
  );
}

function PaymentsList() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<PaymentFilters>({});
  const [voiding, setVoiding] = useState<Payment | null>(null);
  const payments = usePayments(filters);
  const rows = useQueryRows(payments);
  const columns = usePaymentColumns({ customer: true, onVoid: setVoiding });
  const filtered = Boolean(filters.customerId || filters.method || filters.number);
  return (
    <Card styles={{ body: { padding: 0 } }}>
      <DocumentFilterBar customerId={filters.customerId} setFilters={setFilters} rows={rows} placeholder={t("payments.numberSearch")} searchTestId="payment-search" style={{ padding: 16 }}>
        <Select
          allowClear
          placeholder={t("payments.method")}
          value={filters.method}
          onChange={(v) => setFilters((f) => ({ ...f, method: v }))}
          options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payments.methods.${m}`) }))}
          style={{ width: 160 }}
        />
      </DocumentFilterBar>
      <InfiniteTable<Payment>
        query={payments}
        rows={rows}
        testId="payments"
        resetScrollKey={filters}
        rowKey="id"
        columns={columns}
        size="middle"
        locale={{ emptyText: <Empty description={filtered ? t("payments.noMatches") : t("payments.empty")} /> }}
      />
      <VoidPaymentModal payment={voiding} onClose={() => setVoiding(null)} />
    </Card>
  );
}

const money = (v: string, currency: string) => <span style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>{v === "0.00" ? "—" : formatAmount(v, currency)}</span>;

/** Receivables ageing (应收账龄) per customer in the base currency, largest balances first, with the totals. */
function ReceivablesView() {
  const { t } = useTranslation();
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const receivables = useReceivables(asOf);
  if (receivables.isError) return <QueryError error={receivables.error} onRetry={() => void receivables.refetch()} />;
  const r: Receivables | undefined = receivables.data;
  const currency = r?.currency ?? "CNY";
  type Row = Receivables["customers"][number];
  const columns: TableColumnsType<Row> = [
    { key: "customer", title: t("payments.customer"), width: 220, fixed: "left", render: (_, c) => <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link> },
    ...AGEING_BUCKETS.map((b) => ({ key: b, title: t(`payments.ageing.${b}`), width: 130, align: "right" as const, render: (_: unknown, c: Row) => money(c[b], currency) })),
    { key: "total", title: t("payments.ageing.total"), width: 150, align: "right", render: (_, c) => <strong data-testid="receivables-customer-total">{formatAmount(c.total, currency)}</strong> },
  ];
  const totals: Ageing | undefined = r?.totals;
  return (
    <Card>
      <Flex gap={12} align="center" wrap="wrap" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t("payments.ageing.asOf")}</Typography.Text>
        <DatePicker value={asOf ? dayjs(asOf) : dayjs(r?.asOf)} onChange={(d) => setAsOf(d ? d.format("YYYY-MM-DD") : undefined)} data-testid="receivables-as-of" />
        <Typography.Text type="secondary">{t("payments.ageing.note", { currency })}</Typography.Text>
      </Flex>
      <Table<Row>
        size="middle"
        rowKey="customerId"
        loading={receivables.isFetching}
        columns={columns}
        dataSource={r?.customers ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: <Empty description={t("payments.ageing.empty")} /> }}
        onRow={(c) => ({ "data-testid": `receivables-row-${c.customerName}` }) as HTMLAttributes<HTMLElement>}
        data-testid="receivables-table"
        summary={() =>
          totals ? (
            <Table.Summary fixed>
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t("payments.ageing.totals")}</strong>
                </Table.Summary.Cell>
                {AGEING_BUCKETS.map((b, k) => (
                  <Table.Summary.Cell key={b} index={k + 1} align="right">
                    {money(totals[b], currency)}
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={AGEING_BUCKETS.length + 1} align="right">
                  <strong data-testid="receivables-total">{formatAmount(totals.total, currency)}</strong>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </Card>
  );
}

/** The columns of an invoice list; `order` adds the order and customer. */
export function useInvoiceColumns(opts: { order: boolean }): TableColumnsType<Invoice> {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: (i: Invoice) => voidInvoice(i.id, i.version),
    onSuccess: (i) => {
      void queryClient.invalidateQueries({ queryKey: paymentsKey });
      void message.success(t("payments.invoices.voidedMsg", { number: i.number }));
    },
    onError: (err) => showError(err),
  });
  return [
    {
      key: "number",
      title: t("payments.invoices.number"),
      width: 150,
      render: (_, i) => (
        <Flex gap={4} wrap="wrap" data-testid={`invoice-row-${i.number}`}>
          <span style={{ textDecoration: i.voidedAt ? "line-through" : undefined }}>{i.number}</span>
          {i.voidedAt ? <Tag color="error">{t("payments.voided")}</Tag> : null}
        </Flex>
      ),
    },
    { key: "type", title: t("payments.invoices.type"), width: 130, render: (_, i) => t(`payments.invoices.types.${i.type}`) },
    ...(opts.order
      ? [
          { key: "order", title: t("payments.order"), width: 150, render: (_: unknown, i: Invoice) => <Link to={`/orders/${i.orderId}`}>{i.orderNumber ?? "—"}</Link> },
          { key: "customer", title: t("payments.customer"), width: 200, render: (_: unknown, i: Invoice) => <Link to={`/customers/${i.customerId}`}>{i.customerName ?? "—"}</Link> },
        ]
      : []),
    { key: "title", title: t("payments.invoices.title"), width: 200, render: (_, i) => i.title },
    { key: "taxNumber", title: t("payments.invoices.taxNumber"), width: 180, render: (_, i) => i.taxNumber || "—" },
    { key: "amount", title: t("payments.invoices.amountShort"), width: 130, align: "right", render: (_, i) => <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatAmount(i.amount)}</span> },
    { key: "taxAmount", title: t("payments.invoices.taxAmount"), width: 110, align: "right", render: (_, i) => <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatAmount(i.taxAmount)}</span> },
    { key: "issuedOn", title: t("payments.invoices.issuedOn"), width: 110, render: (_, i) => dayjs(i.issuedOn).format("L") },
    ...(can("invoice:void")
      ? [
          {
            key: "actions",
            width: 80,
            render: (_: unknown, i: Invoice) =>
              i.voidedAt ? null : (
                <Popconfirm title={t("payments.invoices.voidConfirm", { number: i.number })} onConfirm={() => cancel.mutateAsync(i).catch(() => undefined)}>
                  <Button size="small" type="text" danger icon={<StopOutlined />}>
                    {t("payments.void.action")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];
}

function InvoicesList() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<InvoiceFilters>({});
  const invoices = useInvoices(filters);
  const rows = useQueryRows(invoices);
  const columns = useInvoiceColumns({ order: true });
  return (
    <Card styles={{ body: { padding: 0 } }}>
      <DocumentFilterBar customerId={filters.customerId} setFilters={setFilters} rows={rows} placeholder={t("payments.invoices.numberSearch")} style={{ padding: 16 }}>
        <Select
          allowClear
          placeholder={t("payments.invoices.type")}
          value={filters.type}
          onChange={(v) => setFilters((f) => ({ ...f, type: v }))}
          options={INVOICE_TYPES.map((k) => ({ value: k, label: t(`payments.invoices.types.${k}`) }))}
          style={{ width: 180 }}
        />
      </DocumentFilterBar>
      <InfiniteTable<Invoice>
        query={invoices}
        rows={rows}
        testId="invoices"
        resetScrollKey={filters}
        rowKey="id"
        columns={columns}
        size="middle"
        locale={{ emptyText: <Empty description={t("payments.invoices.empty")} /> }}
      />
    </Card>
  );
}
