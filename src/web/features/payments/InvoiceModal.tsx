import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryRows } from "../../app/components/InfiniteTable.js";
import { useShowError } from "../../app/errors.js";
import { useCustomer } from "../customers/api.js";
import { useOrder, useOrders } from "../orders/api.js";
import { formatAmount } from "../orders/money.js";
import { groupDigits, parseDigits } from "../products/api.js";
import { createInvoice, INVOICE_TYPES, paymentsKey, RECEIVABLE_STATUSES, type InvoiceType } from "./api.js";

interface Values {
  orderId?: string;
  type: InvoiceType;
  number: string;
  title?: string;
  taxNumber?: string;
  amount?: string | null;
  taxAmount?: string | null;
  issuedOn: Dayjs;
}

/** Picks an approved, delivered or completed order by its number. */
function OrderSelect({ value, onChange }: { value?: string; onChange?: (v: string | undefined) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const orders = useOrders({ number: q }, { pageSize: 20 });
  const rows = useQueryRows(orders);
  const options = rows.filter((o) => RECEIVABLE_STATUSES.includes(o.status)).map((o) => ({ value: o.id, label: `${o.number} · ${o.customerName} · ${formatAmount(o.total, o.currency)}` }));
  return (
    <Select
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={orders.isFetching}
      options={options}
      placeholder={t("payments.invoices.orderPlaceholder")}
      data-testid="invoice-order"
    />
  );
}

/**
 * Records an invoice issued for an order: the title defaults to the customer's
 * name and the tax number to its credit code (both filled in here, editable).
 */
export function InvoiceModal({ open, orderId, onClose }: { open: boolean; orderId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const picked = Form.useWatch("orderId", form);
  const order = useOrder(orderId ?? picked);
  const customer = useCustomer(order.data?.customerId);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ orderId, type: "vat_special", issuedOn: dayjs() });
  }, [open, orderId, form]);

  // The customer's name and credit code, unless already typed over.
  const defaults = useMemo(() => (customer.data ? { title: customer.data.name, taxNumber: customer.data.creditCode ?? "" } : null), [customer.data]);
  useEffect(() => {
    if (!open || !defaults) return;
    if (!form.isFieldTouched("title")) form.setFieldValue("title", defaults.title);
    if (!form.isFieldTouched("taxNumber")) form.setFieldValue("taxNumber", defaults.taxNumber);
  }, [open, defaults, form]);

  const save = useMutation({
    mutationFn: (v: Values) =>
      createInvoice(orderId ?? v.orderId!, {
        type: v.type,
        number: v.number.trim(),
        ...(v.title?.trim() ? { title: v.title.trim() } : {}),
        taxNumber: v.taxNumber?.trim() ?? "",
        amount: String(v.amount ?? ""),
        ...(v.taxAmount ? { taxAmount: String(v.taxAmount) } : {}),
        issuedOn: v.issuedOn.format("YYYY-MM-DD"),
      }),
    onSuccess: (inv) => {
      void queryClient.invalidateQueries({ queryKey: paymentsKey });
      void message.success(t("payments.invoices.created", { number: inv.number }));
      onClose();
    },
    onError: (err) => showError(err, form),
  });

  const currency = order.data?.currency;
  return (
    <Modal
      open={open}
      title={order.data ? t("payments.invoices.createFor", { number: order.data.number }) : t("payments.invoices.create")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ "data-testid": "invoice-submit" } as Record<string, string>}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
      forceRender
    >
      <Form<Values> form={form} name="invoice" layout="vertical" onFinish={(v) => save.mutate(v)}>
        {orderId ? null : (
          <Form.Item name="orderId" label={t("payments.order")} rules={[{ required: true, message: t("validation.select", { field: t("payments.order") }) }]}>
            <OrderSelect />
          </Form.Item>
        )}
        {order.data ? (
          <Typography.Paragraph type="secondary">
            {t("payments.invoices.orderTotal", { customer: order.data.customerName, total: formatAmount(order.data.total, order.data.currency) })}
          </Typography.Paragraph>
        ) : null}
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="type" label={t("payments.invoices.type")}>
              <Select options={INVOICE_TYPES.map((k) => ({ value: k, label: t(`payments.invoices.types.${k}`) }))} data-testid="invoice-type" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="number" label={t("payments.invoices.number")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("payments.invoices.number") }) }]}>
              <Input maxLength={40} data-testid="invoice-number" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="title" label={t("payments.invoices.title")}>
              <Input maxLength={200} data-testid="invoice-title" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="taxNumber" label={t("payments.invoices.taxNumber")}>
              <Input maxLength={30} data-testid="invoice-tax-number" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="amount" label={t("payments.invoices.amount", { currency: currency ?? "" })} rules={[{ required: true, message: t("validation.required", { field: t("payments.amount") }) }]}>
              <InputNumber<string> stringMode min="0.01" precision={2} formatter={groupDigits} parser={parseDigits} style={{ width: "100%" }} data-testid="invoice-amount" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="taxAmount" label={t("payments.invoices.taxAmount")}>
              <InputNumber<string> stringMode min="0" precision={2} formatter={groupDigits} parser={parseDigits} style={{ width: "100%" }} data-testid="invoice-tax-amount" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="issuedOn" label={t("payments.invoices.issuedOn")} rules={[{ required: true }]}>
              <DatePicker allowClear={false} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
