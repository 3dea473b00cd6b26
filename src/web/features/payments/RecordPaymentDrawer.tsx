import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Col, DatePicker, Drawer, Flex, Form, Input, InputNumber, Radio, Row, Select, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../../app/api.js";
import { useShowError } from "../../app/errors.js";
import { CustomerPicker } from "../contacts/CustomerPicker.js";
import { useCustomer } from "../customers/api.js";
import { CURRENCIES } from "../customers/format.js";
import { ordersKey, useOrders } from "../orders/api.js";
import { formatAmount, money, sumAmounts } from "../orders/money.js";
import { groupDigits, parseDigits } from "../products/api.js";
import { useQueryRows } from "../../app/components/InfiniteTable.js";
import { createPayment, PAYMENT_METHODS, paymentsKey, RECEIVABLE_STATUSES, type Payment, type PaymentMethod } from "./api.js";

/** What the drawer starts with: a customer, and an order to allocate to (from the order page). */
export interface PaymentPrefill {
  customerId: string;
  customerName: string;
  currency?: string;
  orderId?: string;
  /** What is still due on that order. */
  amount?: string;
}

interface Values {
  customerId?: string;
  amount?: string | null;
  currency: string;
  method: PaymentMethod;
  reference?: string;
  receivedOn: Dayjs;
  notes?: string;
  mode: "oldest" | "chosen";
  allocations: { orderId?: string; amount?: string | null }[];
}

const isAmount = (v: string | null | undefined): v is string => typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim());

/**
 * Records money received (回款): customer, amount, currency, method, bank
 * reference (a reference already recorded is refused), and where it goes —
 * the oldest open orders first, or chosen orders with amounts.
 */
export function RecordPaymentDrawer({ open, prefill, onClose }: { open: boolean; prefill?: PaymentPrefill; onClose: (created?: Payment) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const customerId = Form.useWatch("customerId", form);
  const mode = Form.useWatch("mode", form);
  const currency = Form.useWatch("currency", form) ?? "CNY";
  const allocations = Form.useWatch("allocations", form);
  const customer = useCustomer(customerId);
  const orders = useOrders({ customerId }, { enabled: Boolean(customerId) && open, pageSize: 200 });
  const orderRows = useQueryRows(orders);
  const open_ = useMemo(
    () => orderRows.filter((o) => RECEIVABLE_STATUSES.includes(o.status) && o.currency === currency && money(o.total).gt(o.paid)).sort((a, b) => a.orderDate.localeCompare(b.orderDate) || a.number.localeCompare(b.number)),
    [orderRows, currency],
  );
  const totalDue = useMemo(() => sumAmounts(open_.map((o) => money(o.total).minus(o.paid).toFixed(2))), [open_]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({
      customerId: prefill?.customerId,
      currency: prefill?.currency ?? "CNY",
      method: "bank_transfer",
      receivedOn: dayjs(),
      mode: prefill?.orderId ? "chosen" : "oldest",
      amount: prefill?.orderId ? undefined : (prefill?.amount ?? undefined),
      allocations: prefill?.orderId ? [{ orderId: prefill.orderId, amount: prefill.amount ?? null }] : [{}],
    });
  }, [open, prefill, form]);

  // A customer picked here brings its currency.
  const customerCurrency = customer.data?.currency;
  useEffect(() => {
    if (open && customerCurrency && !prefill?.currency && !form.isFieldTouched("currency")) form.setFieldValue("currency", customerCurrency);
  }, [open, customerCurrency, prefill, form]);

  const allocated = useMemo(() => {
    const amounts = (allocations ?? []).map((a) => a?.amount);
    return amounts.every(isAmount) ? sumAmounts(amounts) : null;
  }, [allocations]);

  const save = useMutation({
    mutationFn: (v: Values) =>
      createPayment({
        customerId: v.customerId!,
        amount: v.mode === "chosen" ? (allocated ?? "0") : String(v.amount ?? ""),
        currency: v.currency,
        receivedOn: v.receivedOn.format("YYYY-MM-DD"),
        method: v.method,
        ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}),
        ...(v.notes?.trim() ? { notes: v.notes.trim() } : {}),
        ...(v.mode === "chosen" ? { allocations: v.allocations.map((a) => ({ orderId: a.orderId!, amount: String(a.amount ?? "") })) } : {}),
      }),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: paymentsKey });
      void queryClient.invalidateQueries({ queryKey: ordersKey });
      void message.success(t("payments.record.done", { number: p.number, amount: formatAmount(p.amount, p.currency) }));
      onClose(p);
    },
    onError: (err) => {
      // The same bank reference twice: the transfer was probably entered already.
      if (isApiError(err) && err.code === "CONFLICT") {
        form.setFields([{ name: "reference", errors: [err.message] }]);
        return;
      }
      showError(err, form);
    },
  });

  const orderOptions = open_.map((o) => ({
    value: o.id,
    label: `${o.number} · ${dayjs(o.orderDate).format("L")} · ${t("payments.record.due", { amount: formatAmount(money(o.total).minus(o.paid).toFixed(2), o.currency) })}`,
  }));

  return (
    <Drawer
      open={open}
      onClose={() => onClose()}
      title={t("payments.record.title")}
      size={560}
      destroyOnHidden
      forceRender
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="payment-submit">
          {t("common.save")}
        </Button>
      }
      data-testid="payment-drawer"
    >
      <Form<Values> form={form} name="payment" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="customerId" label={t("payments.customer")} rules={[{ required: true, message: t("validation.select", { field: t("payments.customer") }) }]}>
          <CustomerPicker
            known={prefill ? { [prefill.customerId]: prefill.customerName } : customer.data ? { [customer.data.id]: customer.data.name } : undefined}
            onChange={(v) => {
              form.setFieldsValue({ customerId: v, allocations: [{}] });
            }}
            data-testid="payment-customer"
          />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="receivedOn" label={t("payments.receivedOn")} rules={[{ required: true }]}>
              <DatePicker allowClear={false} style={{ width: "100%" }} data-testid="payment-received-on" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="currency" label={t("payments.currency")}>
              <Select showSearch options={[...new Set([currency, ...CURRENCIES])].map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="method" label={t("payments.method")}>
              <Select options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payments.methods.${m}`) }))} data-testid="payment-method" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="reference" label={t("payments.reference")} tooltip={t("payments.record.referenceHelp")}>
              <Input maxLength={100} data-testid="payment-reference" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="mode" label={t("payments.record.allocate")}>
          <Radio.Group
            optionType="button"
            options={[
              { value: "oldest", label: <span data-testid="payment-mode-oldest">{t("payments.record.oldest")}</span> },
              { value: "chosen", label: <span data-testid="payment-mode-chosen">{t("payments.record.chosen")}</span> },
            ]}
          />
        </Form.Item>
        {mode === "chosen" ? (
          <Form.List name="allocations">
            {(fields, { add, remove }) => (
              <Flex vertical gap={4} style={{ marginBottom: 16 }}>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="flex-start">
                    <Form.Item name={[f.name, "orderId"]} style={{ flex: 1, marginBottom: 8 }} rules={[{ required: true, message: t("validation.select", { field: t("payments.order") }) }]}>
                      <Select options={orderOptions} placeholder={t("payments.order")} loading={orders.isFetching} popupMatchSelectWidth={false} data-testid={`payment-alloc-order-${f.name}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, "amount"]} style={{ width: 150, marginBottom: 8 }} rules={[{ required: true, message: t("validation.required", { field: t("payments.amount") }) }]}>
                      <InputNumber<string> stringMode min="0.01" precision={2} formatter={groupDigits} parser={parseDigits} style={{ width: "100%" }} data-testid={`payment-alloc-amount-${f.name}`} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length <= 1} onClick={() => remove(f.name)} aria-label={t("common.remove")} />
                  </Flex>
                ))}
                <Flex justify="space-between" align="center">
                  <Button size="small" icon={<PlusOutlined />} onClick={() => add({})}>
                    {t("payments.record.addOrder")}
                  </Button>
                  <Typography.Text strong data-testid="payment-allocated">
                    {t("payments.record.allocatedTotal", { amount: allocated ? formatAmount(allocated, currency) : "—" })}
                  </Typography.Text>
                </Flex>
              </Flex>
            )}
          </Form.List>
        ) : (
          <>
            <Form.Item name="amount" label={t("payments.amount")} rules={[{ required: true, message: t("validation.required", { field: t("payments.amount") }) }]}>
              <InputNumber<string> stringMode min="0.01" precision={2} formatter={groupDigits} parser={parseDigits} style={{ width: "100%" }} data-testid="payment-amount" />
            </Form.Item>
            {customerId ? (
              <Alert
                type="info"
                style={{ marginBottom: 16 }}
                title={open_.length ? t("payments.record.oldestHelp", { count: open_.length, amount: formatAmount(totalDue, currency) }) : t("payments.record.nothingDue", { currency })}
                data-testid="payment-due-hint"
              />
            ) : null}
          </>
        )}
        <Form.Item name="notes" label={t("payments.notes")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
