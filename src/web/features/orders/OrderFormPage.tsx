import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Col, DatePicker, Flex, Form, Input, Row, Skeleton } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { createOrder, orderKey, ordersKey, updateOrder, useOrder, type Order, type OrderInput } from "./api.js";
import { CreditPositionPanel } from "./credit.js";
import { CurrencyField, CustomerContactFields, DocumentFormTitle, useDocumentCustomer } from "./document.js";
import { EMPTY_LINE, LineItemsEditor, lineInputOf, lineValuesOf, type LineValues } from "./lines.js";

interface Values {
  customerId?: string;
  contactId?: string | null;
  currency?: string;
  orderDate: Dayjs;
  expectedDelivery?: Dayjs | null;
  channel?: string;
  address?: string;
  recipient?: string;
  phone?: string;
  paymentTerms?: string;
  notes?: string;
  lines: LineValues[];
}

const blank = (v: string | null | undefined) => v === null || v === undefined || String(v).trim() === "";

const valuesOf = (o: Order): Values => ({
  customerId: o.customerId,
  contactId: o.contactId,
  currency: o.currency,
  orderDate: dayjs(o.orderDate),
  expectedDelivery: o.expectedDelivery ? dayjs(o.expectedDelivery) : null,
  channel: o.channel,
  address: o.deliveryAddress?.address ?? "",
  recipient: o.deliveryAddress?.recipient ?? "",
  phone: o.deliveryAddress?.phone ?? "",
  paymentTerms: o.paymentTerms,
  notes: o.notes,
  lines: (o.lines ?? []).map(lineValuesOf),
});

/** New order (/orders/new?customerId=) or a draft's edit (/orders/:id/edit); totals come from the server once saved. */
export function OrderFormPage() {
  const { id } = useParams();
  return <OrderForm key={id ?? "new"} orderId={id ?? null} />;
}

function OrderForm({ orderId }: { orderId: string | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const [form] = Form.useForm<Values>();
  const editing = orderId !== null;
  const order = useOrder(orderId);
  const { customerId, customer, currency } = useDocumentCustomer(form, editing);

  useEffect(() => {
    if (editing) return;
    form.setFieldsValue({ customerId: params.get("customerId") ?? undefined, orderDate: dayjs(), lines: [EMPTY_LINE] });
  }, [editing, form, params]);

  useEffect(() => {
    if (order.data) form.setFieldsValue(valuesOf(order.data));
  }, [order.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const deliveryAddress = blank(v.address) ? undefined : { address: v.address!.trim(), recipient: v.recipient?.trim() ?? "", phone: v.phone?.trim() ?? "" };
      const header = {
        contactId: v.contactId ?? null,
        currency: v.currency,
        orderDate: v.orderDate.format("YYYY-MM-DD"),
        expectedDelivery: v.expectedDelivery ? v.expectedDelivery.format("YYYY-MM-DD") : null,
        channel: v.channel?.trim() ?? "",
        ...(blank(v.paymentTerms) ? {} : { paymentTerms: v.paymentTerms!.trim() }),
        notes: v.notes?.trim() ?? "",
        lines: v.lines.map(lineInputOf),
      };
      if (!order.data) return createOrder({ customerId: v.customerId!, ...header, ...(deliveryAddress ? { deliveryAddress } : {}) } as OrderInput);
      return updateOrder(order.data.id, { ...header, deliveryAddress: deliveryAddress ?? null, version: order.data.version });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ordersKey });
      queryClient.setQueryData(orderKey(saved.id), saved);
      void message.success(editing ? t("orders.savedMsg") : t("orders.createdMsg", { number: saved.number }));
      void navigate(`/orders/${saved.id}`);
    },
    onError: (err) => handleSaveError(err, form, () => void order.refetch()),
  });

  if (order.isError) return <QueryError error={order.error} onRetry={() => void order.refetch()} />;
  if (editing && !order.data) return <Skeleton active />;

  const half = { xs: 24, sm: 12 };

  return (
    <>
      <DocumentFormTitle
        back={order.data ? `/orders/${order.data.id}` : "/orders"}
        backLabel={order.data ? order.data.number : t("orders.backToList")}
        title={order.data ? t("orders.editTitle", { number: order.data.number }) : t("orders.createTitle")}
      />
      <Form<Values> form={form} name="order" layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="order-form">
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={17}>
            <Card>
              <Row gutter={16}>
                <CustomerContactFields savedName={order.data?.customerName} customerId={customerId} customer={customer} testId="order" />
                <CurrencyField currency={currency} />
                <Col xs={12} sm={6}>
                  <Form.Item name="orderDate" label={t("orders.orderDate")} rules={[{ required: true }]}>
                    <DatePicker allowClear={false} style={{ width: "100%" }} />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={6}>
                  <Form.Item name="expectedDelivery" label={t("orders.expectedDelivery")}>
                    <DatePicker style={{ width: "100%" }} />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={6}>
                  <Form.Item name="channel" label={t("orders.channel")}>
                    <Input maxLength={50} />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item name="address" label={t("orders.deliveryAddress")}>
                    <Input maxLength={500} placeholder={t("orders.deliveryAddressPlaceholder")} />
                  </Form.Item>
                </Col>
                <Col {...half}>
                  <Form.Item name="recipient" label={t("orders.recipient")}>
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
                <Col {...half}>
                  <Form.Item name="phone" label={t("orders.phone")}>
                    <Input maxLength={40} />
                  </Form.Item>
                </Col>
                <Col {...half}>
                  <Form.Item name="paymentTerms" label={t("orders.paymentTerms")}>
                    <Input maxLength={200} placeholder={t("orders.paymentTermsPlaceholder")} />
                  </Form.Item>
                </Col>
                <Col {...half}>
                  <Form.Item name="notes" label={t("orders.notes")}>
                    <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={5000} />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
            <LineItemsEditor title={t("orders.lines.title")} currency={currency} testId="order" />
            <Flex justify="flex-end" gap={8} style={{ marginTop: 16 }}>
              <Button onClick={() => void navigate(order.data ? `/orders/${order.data.id}` : "/orders")}>{t("common.cancel")}</Button>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="order-save">
                {t("common.save")}
              </Button>
            </Flex>
          </Col>
          <Col xs={24} xl={7}>
            <Card title={t("orders.credit.title")} size="small">
              <CreditPositionPanel customerId={customerId} />
            </Card>
          </Col>
        </Row>
      </Form>
    </>
  );
}
