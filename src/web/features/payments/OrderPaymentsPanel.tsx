import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Empty, Flex, Form, Input, InputNumber, Progress, Table, Tag, Typography, type TableColumnsType } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryRows } from "../../app/components/InfiniteTable.js";
import { errorMessage, isVersionConflict } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { orderKey, ordersKey, type Order } from "../orders/api.js";
import { formatAmount, money, sumAmounts } from "../orders/money.js";
import { groupDigits, parseDigits } from "../products/api.js";
import { paymentsKey, planKey, RECEIVABLE_STATUSES, setPaymentPlan, useInvoices, usePaymentPlan, usePayments, type Instalment, type Invoice, type Payment } from "./api.js";
import { InstalmentStatusTag, usePaymentColumns, VoidPaymentModal } from "./columns.js";
import { InvoiceModal } from "./InvoiceModal.js";
import { useInvoiceColumns } from "./PaymentsPage.js";
import { RecordPaymentDrawer, type PaymentPrefill } from "./RecordPaymentDrawer.js";

type PaidState = "unpaid" | "partly_paid" | "paid";
const paidState = (o: Pick<Order, "total" | "paid">): PaidState => (money(o.paid).gte(o.total) ? "paid" : money(o.paid).gt(0) ? "partly_paid" : "unpaid");
const PAID_COLORS: Record<PaidState, string> = { unpaid: "default", partly_paid: "processing", paid: "success" };

/** Whether an order's money is in: unpaid, partly paid or paid. */
export function OrderPaidTag({ order }: { order: Pick<Order, "total" | "paid"> }) {
  const { t } = useTranslation();
  const state = paidState(order);
  return (
    <Tag color={PAID_COLORS[state]} data-testid="order-payment-status" data-status={state}>
      {t(`payments.orderStates.${state}`)}
    </Tag>
  );
}

interface PlanValues {
  instalments: { dueDate?: Dayjs | null; amount?: string | null; notes?: string }[];
}

/**
 * The money side of an order (on its page once it is approved): the payment
 * plan (回款计划) with each instalment's status, the payments matched to it
 * (record one prefilled for this order) and its invoices.
 */
export function OrderPaymentsPanel({ order }: { order: Order }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const plan = usePaymentPlan(order.id);
  const payments = usePayments({ orderId: order.id }, { pageSize: 100 });
  const paymentRows = useQueryRows(payments);
  const invoices = useInvoices({ orderId: order.id }, { pageSize: 100 });
  const invoiceRows = useQueryRows(invoices);
  const [editing, setEditing] = useState(false);
  const [planError, setPlanError] = useState<string | null>(null);
  const [prefill, setPrefill] = useState<PaymentPrefill | undefined>(undefined);
  const [recording, setRecording] = useState(false);
  const [voiding, setVoiding] = useState<Payment | null>(null);
  const [invoicing, setInvoicing] = useState(false);
  const [form] = Form.useForm<PlanValues>();
  const watched = Form.useWatch("instalments", form);
  const paymentColumns = usePaymentColumns({ customer: false, orderId: order.id, onVoid: setVoiding });
  const invoiceColumns = useInvoiceColumns({ order: false });

  const due = money(order.total).minus(order.paid).toFixed(2);
  const receivable = RECEIVABLE_STATUSES.includes(order.status);
  const planned = useMemo(() => {
    const amounts = (watched ?? []).map((i) => i?.amount);
    return amounts.every((a): a is string => typeof a === "string" && /^\d+(\.\d+)?$/.test(a)) ? sumAmounts(amounts) : null;
  }, [watched]);

  const refreshOrder = () => {
    void queryClient.invalidateQueries({ queryKey: orderKey(order.id) });
    void queryClient.invalidateQueries({ queryKey: ordersKey });
  };

  const save = useMutation({
    mutationFn: (v: PlanValues) =>
      setPaymentPlan(
        order.id,
        order.version,
        v.instalments.map((i) => ({ dueDate: i.dueDate!.format("YYYY-MM-DD"), amount: String(i.amount ?? ""), ...(i.notes?.trim() ? { notes: i.notes.trim() } : {}) })),
      ),
    onSuccess: (res) => {
      queryClient.setQueryData(planKey(order.id), res.items);
      // Setting the plan bumps the order's version.
      refreshOrder();
      setEditing(false);
      setPlanError(null);
      void message.success(t("payments.plan.saved"));
    },
    onError: (err) => {
      if (isVersionConflict(err)) refreshOrder();
      // The server says what is wrong (the instalments do not add up to the order total …): shown as it says it.
      setPlanError(errorMessage(err));
    },
  });

  const startEditing = () => {
    const items = plan.data ?? [];
    form.setFieldsValue({
      instalments: items.length ? items.map((i) => ({ dueDate: dayjs(i.dueDate), amount: i.amount, notes: i.notes })) : [{ dueDate: dayjs().add(30, "day"), amount: order.total }],
    });
    setPlanError(null);
    setEditing(true);
  };

  const recordFor = () => {
    setPrefill({ customerId: order.customerId, customerName: order.customerName, currency: order.currency, orderId: order.id, amount: due });
    setRecording(true);
  };

  const columns: TableColumnsType<Instalment> = [
    { key: "seq", title: "#", dataIndex: "seq", width: 40 },
    { key: "dueDate", title: t("payments.plan.dueDate"), width: 120, render: (_, i) => dayjs(i.dueDate).format("L") },
    { key: "amount", title: t("payments.plan.amount"), width: 140, align: "right", render: (_, i) => <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatAmount(i.amount, order.currency)}</span> },
    { key: "paid", title: t("payments.plan.paid"), width: 140, align: "right", render: (_, i) => <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatAmount(i.paid, order.currency)}</span> },
    { key: "paidOn", title: t("payments.plan.paidOn"), width: 120, render: (_, i) => (i.paidOn ? dayjs(i.paidOn).format("L") : "—") },
    { key: "status", title: t("common.status"), width: 130, render: (_, i) => <InstalmentStatusTag instalment={i} /> },
    { key: "notes", title: t("payments.notes"), render: (_, i) => i.notes || "—" },
  ];

  const percent = money(order.total).gt(0) ? Number(money(order.paid).div(order.total).times(100).toDecimalPlaces(0).toString()) : 0;

  return (
    <>
      <Card
        title={
          <Flex gap={8} align="center">
            {t("payments.plan.title")}
            <OrderPaidTag order={order} />
          </Flex>
        }
        style={{ marginBottom: 16 }}
        extra={
          receivable && can("order:update") && !editing ? (
            <Button size="small" icon={<EditOutlined />} onClick={startEditing} data-testid="plan-edit">
              {plan.data?.length ? t("payments.plan.edit") : t("payments.plan.set")}
            </Button>
          ) : null
        }
        data-testid="order-payment-plan"
      >
        <Flex gap={24} align="center" wrap="wrap" style={{ marginBottom: 12 }}>
          <Progress type="circle" size={56} percent={percent} status={percent >= 100 ? "success" : "normal"} />
          <Flex vertical>
            <Typography.Text data-testid="order-paid-summary">{t("payments.plan.paidOf", { paid: formatAmount(order.paid, order.currency), total: formatAmount(order.total, order.currency) })}</Typography.Text>
            <Typography.Text type="secondary" data-testid="order-due">
              {t("payments.plan.due", { amount: formatAmount(due, order.currency) })}
            </Typography.Text>
          </Flex>
        </Flex>
        {editing ? (
          <Form<PlanValues> form={form} name="payment-plan" onFinish={(v) => save.mutate(v)} data-testid="plan-form">
            <Form.List name="instalments">
              {(fields, { add, remove }) => (
                <Flex vertical gap={4}>
                  {fields.map((f) => (
                    <Flex key={f.key} gap={8} align="flex-start" wrap="wrap">
                      <Typography.Text type="secondary" style={{ width: 24, paddingTop: 5 }}>
                        {f.name + 1}
                      </Typography.Text>
                      <Form.Item name={[f.name, "dueDate"]} style={{ marginBottom: 8 }} rules={[{ required: true, message: t("validation.required", { field: t("payments.plan.dueDate") }) }]}>
                        <DatePicker placeholder={t("payments.plan.dueDate")} data-testid={`plan-due-${f.name}`} />
                      </Form.Item>
                      <Form.Item name={[f.name, "amount"]} style={{ marginBottom: 8, width: 160 }} rules={[{ required: true, message: t("validation.required", { field: t("payments.plan.amount") }) }]}>
                        <InputNumber<string>
                          stringMode
                          min="0.01"
                          precision={2}
                          formatter={groupDigits}
                          parser={parseDigits}
                          placeholder={t("payments.plan.amount")}
                          style={{ width: "100%" }}
                          data-testid={`plan-amount-${f.name}`}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, "notes"]} style={{ marginBottom: 8, flex: "1 1 160px" }}>
                        <Input maxLength={500} placeholder={t("payments.notes")} />
                      </Form.Item>
                      <Button type="text" icon={<DeleteOutlined />} disabled={fields.length <= 1} onClick={() => remove(f.name)} aria-label={t("common.remove")} />
                    </Flex>
                  ))}
                  <Flex justify="space-between" align="center" wrap="wrap" gap={8}>
                    <Button size="small" icon={<PlusOutlined />} onClick={() => add({ dueDate: null, amount: null })} data-testid="plan-add">
                      {t("payments.plan.add")}
                    </Button>
                    <Typography.Text type={planned !== null && planned !== money(order.total).toFixed(2) ? "warning" : "secondary"} data-testid="plan-sum">
                      {t("payments.plan.planned", { planned: planned ? formatAmount(planned, order.currency) : "—", total: formatAmount(order.total, order.currency) })}
                    </Typography.Text>
                  </Flex>
                </Flex>
              )}
            </Form.List>
            {planError ? <Alert type="error" showIcon style={{ marginTop: 12 }} title={planError} data-testid="plan-error" /> : null}
            <Flex justify="flex-end" gap={8} style={{ marginTop: 12 }}>
              <Button onClick={() => setEditing(false)}>{t("common.cancel")}</Button>
              {/* Not a submit button: Enter in a date field confirms the date, it must not save the plan. */}
              <Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="plan-save">
                {t("common.save")}
              </Button>
            </Flex>
          </Form>
        ) : (
          <Table<Instalment>
            size="small"
            rowKey="seq"
            pagination={false}
            loading={plan.isPending}
            columns={columns}
            dataSource={plan.data ?? []}
            scroll={{ x: 720 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("payments.plan.empty")} /> }}
            data-testid="plan-table"
          />
        )}
      </Card>
      <Card
        title={t("payments.orderPanel.payments")}
        style={{ marginBottom: 16 }}
        extra={
          receivable && can("payment:create") && money(due).gt(0) ? (
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={recordFor} data-testid="order-record-payment">
              {t("payments.record.button")}
            </Button>
          ) : null
        }
      >
        <Table<Payment>
          size="small"
          rowKey="id"
          pagination={false}
          loading={payments.isPending}
          columns={paymentColumns}
          dataSource={paymentRows}
          scroll={{ x: 900 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("payments.orderPanel.noPayments")} /> }}
          data-testid="order-payments"
        />
      </Card>
      {can("invoice:read") ? (
        <Card
          title={t("payments.orderPanel.invoices")}
          style={{ marginBottom: 16 }}
          extra={
            receivable && can("invoice:create") ? (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setInvoicing(true)} data-testid="order-create-invoice">
                {t("payments.invoices.create")}
              </Button>
            ) : null
          }
        >
          <Table<Invoice>
            size="small"
            rowKey="id"
            pagination={false}
            loading={invoices.isPending}
            columns={invoiceColumns}
            dataSource={invoiceRows}
            scroll={{ x: 900 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("payments.invoices.emptyOrder")} /> }}
            data-testid="order-invoices"
          />
        </Card>
      ) : null}
      <RecordPaymentDrawer
        open={recording}
        prefill={prefill}
        onClose={(created) => {
          setRecording(false);
          if (created) {
            refreshOrder();
            void queryClient.invalidateQueries({ queryKey: paymentsKey });
          }
        }}
      />
      <VoidPaymentModal payment={voiding} onClose={() => setVoiding(null)} />
      <InvoiceModal open={invoicing} orderId={order.id} onClose={() => setInvoicing(false)} />
    </>
  );
}
