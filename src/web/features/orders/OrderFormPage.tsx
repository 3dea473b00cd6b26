import { ArrowLeftOutlined, MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Col, DatePicker, Flex, Form, Input, InputNumber, Row, Select, Skeleton, Table, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { CustomerPicker } from "../contacts/CustomerPicker.js";
import { useCustomer } from "../customers/api.js";
import { CURRENCIES } from "../customers/format.js";
import { fractionOf, groupDigits, parseDigits, percentOf } from "../products/api.js";
import { ProductPicker } from "../products/ProductPicker.js";
import { createOrder, orderKey, ordersKey, updateOrder, useOrder, type Order, type OrderInput, type OrderLineInput } from "./api.js";
import { CreditPositionPanel } from "./credit.js";
import { formatAmount, previewLineAmount, sumAmounts } from "./money.js";

interface LineValues {
  productId: string | null;
  sku?: string;
  name: string;
  unit: string;
  quantity: string | null;
  unitPrice: string | null;
  /** Percent as typed ("5"); empty: the customer's discount terms. */
  discount: string | null;
  /** Percent as typed ("13"); empty: the product's rate. */
  tax: string | null;
}

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
const EMPTY_LINE: LineValues = { productId: null, name: "", unit: "", quantity: "1", unitPrice: null, discount: null, tax: null };

const lineInputOf = (l: LineValues): OrderLineInput => ({
  productId: l.productId ?? null,
  ...(l.sku ? { sku: l.sku } : {}),
  ...(blank(l.name) ? {} : { name: l.name.trim() }),
  ...(blank(l.unit) ? {} : { unit: l.unit.trim() }),
  quantity: String(l.quantity ?? ""),
  ...(blank(l.unitPrice) ? {} : { unitPrice: String(l.unitPrice) }),
  ...(blank(l.discount) ? {} : { discountRate: fractionOf(l.discount) }),
  ...(blank(l.tax) ? {} : { taxRate: fractionOf(l.tax) }),
});

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
  lines: (o.lines ?? []).map((l) => ({
    productId: l.productId,
    sku: l.sku,
    name: l.name,
    unit: l.unit,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discount: percentOf(l.discountRate),
    tax: percentOf(l.taxRate),
  })),
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
  const customerId = Form.useWatch("customerId", form);
  const customer = useCustomer(customerId);
  const lines = Form.useWatch("lines", form);
  const currency = Form.useWatch("currency", form) ?? customer.data?.currency ?? "CNY";

  useEffect(() => {
    if (editing) return;
    form.setFieldsValue({ customerId: params.get("customerId") ?? undefined, orderDate: dayjs(), lines: [EMPTY_LINE] });
  }, [editing, form, params]);

  useEffect(() => {
    if (order.data) form.setFieldsValue(valuesOf(order.data));
  }, [order.data, form]);

  // A new order takes the customer's currency until the user picks another.
  const customerCurrency = customer.data?.currency;
  useEffect(() => {
    if (!editing && customerCurrency && !form.isFieldTouched("currency")) form.setFieldValue("currency", customerCurrency);
  }, [editing, customerCurrency, form]);

  const preview = useMemo(() => {
    const amounts = (lines ?? []).map((l) => (l ? previewLineAmount({ quantity: l.quantity, unitPrice: l.unitPrice, discountRate: blank(l.discount) ? null : fractionOf(l.discount), taxRate: fractionOf(l.tax) }) : null));
    return { amounts, total: amounts.length && amounts.every((a) => a !== null) ? sumAmounts(amounts as string[]) : null };
  }, [lines]);

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
  const contacts = customer.data?.contacts ?? [];

  return (
    <>
      <Link to={order.data ? `/orders/${order.data.id}` : "/orders"} style={{ display: "inline-flex", gap: 6, marginBottom: 12 }}>
        <ArrowLeftOutlined />
        {order.data ? order.data.number : t("orders.backToList")}
      </Link>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {order.data ? t("orders.editTitle", { number: order.data.number }) : t("orders.createTitle")}
      </Typography.Title>
      <Form<Values> form={form} name="order" layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="order-form">
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={17}>
            <Card>
              <Row gutter={16}>
                <Col {...half}>
                  {order.data ? (
                    // An order keeps its customer: the server takes no customerId on a change.
                    <Form.Item label={t("orders.customer")}>
                      <Input value={order.data.customerName} disabled />
                    </Form.Item>
                  ) : null}
                  <Form.Item
                    name="customerId"
                    label={t("orders.customer")}
                    hidden={Boolean(order.data)}
                    rules={[{ required: true, message: t("validation.select", { field: t("orders.customer") }) }]}
                  >
                    <CustomerPicker known={customer.data ? { [customer.data.id]: customer.data.name } : undefined} data-testid="order-customer" />
                  </Form.Item>
                </Col>
                <Col {...half}>
                  <Form.Item name="contactId" label={t("orders.contact")}>
                    <Select allowClear options={contacts.map((c) => ({ value: c.contactId, label: c.name }))} disabled={!customerId} />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={6}>
                  <Form.Item name="currency" label={t("orders.currency")}>
                    <Select showSearch options={[...new Set([currency, ...CURRENCIES])].map((c) => ({ value: c, label: c }))} />
                  </Form.Item>
                </Col>
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
            <Card title={t("orders.lines.title")} style={{ marginTop: 16 }}>
              <Typography.Paragraph type="secondary">{t("orders.lines.unitPriceHelp")}</Typography.Paragraph>
              <Form.List name="lines">
                {(fields, { add, remove }) => (
                  <>
                    <Table
                      size="small"
                      pagination={false}
                      rowKey="key"
                      dataSource={fields}
                      scroll={{ x: 960 }}
                      data-testid="order-lines"
                      columns={[
                        {
                          key: "product",
                          title: t("orders.lines.product"),
                          width: 220,
                          render: (_, f) => (
                            <Form.Item name={[f.name, "productId"]} style={{ margin: 0 }}>
                              <ProductPicker
                                known={lines?.[f.name]?.name ? `${lines[f.name]!.name}${lines[f.name]!.sku ? ` (${lines[f.name]!.sku})` : ""}` : undefined}
                                onPick={(p) => {
                                  if (!p) return;
                                  form.setFieldValue(["lines", f.name, "name"], p.name);
                                  form.setFieldValue(["lines", f.name, "unit"], p.unit);
                                  form.setFieldValue(["lines", f.name, "sku"], undefined);
                                  form.setFieldValue(["lines", f.name, "tax"], percentOf(p.taxRate));
                                }}
                                data-testid={`order-line-product-${f.name}`}
                              />
                            </Form.Item>
                          ),
                        },
                        {
                          key: "name",
                          title: t("orders.lines.name"),
                          width: 160,
                          render: (_, f) => (
                            <Form.Item name={[f.name, "name"]} style={{ margin: 0 }}>
                              <Input maxLength={200} />
                            </Form.Item>
                          ),
                        },
                        {
                          key: "unit",
                          title: t("orders.lines.unit"),
                          width: 70,
                          render: (_, f) => (
                            <Form.Item name={[f.name, "unit"]} style={{ margin: 0 }}>
                              <Input maxLength={20} />
                            </Form.Item>
                          ),
                        },
                        {
                          key: "quantity",
                          title: t("orders.lines.quantity"),
                          width: 100,
                          render: (_, f) => (
                            <Form.Item name={[f.name, "quantity"]} rules={[{ required: true, message: t("validation.required", { field: t("orders.lines.quantity") }) }]} style={{ margin: 0 }}>
                              <InputNumber<string> stringMode min="0" style={{ width: "100%" }} data-testid={`order-line-quantity-${f.name}`} />
                            </Form.Item>
                          ),
                        },
                        {
                          key: "unitPrice",
                          title: `${t("orders.lines.unitPrice")}`,
                          width: 140,
                          render: (_, f) => (
                            <Form.Item name={[f.name, "unitPrice"]} style={{ margin: 0 }}>
                              <InputNumber<string> stringMode min="0" formatter={groupDigits} parser={parseDigits} placeholder={t("orders.lines.unitPriceAuto")} style={{ width: "100%" }} data-testid={`order-line-price-${f.name}`} />
                            </Form.Item>
                          ),
                        },
                        {
                          key: "discount",
                          title: t("orders.lines.discount"),
                          width: 100,
                          render: (_, f) => (
                            <Form.Item name={[f.name, "discount"]} style={{ margin: 0 }}>
                              <InputNumber<string> stringMode min="0" max="100" placeholder={t("orders.lines.discountAuto")} style={{ width: "100%" }} />
                            </Form.Item>
                          ),
                        },
                        {
                          key: "tax",
                          title: t("orders.lines.tax"),
                          width: 90,
                          render: (_, f) => (
                            <Form.Item name={[f.name, "tax"]} style={{ margin: 0 }}>
                              <InputNumber<string> stringMode min="0" max="100" style={{ width: "100%" }} />
                            </Form.Item>
                          ),
                        },
                        {
                          key: "amount",
                          title: t("orders.lines.amount"),
                          width: 130,
                          align: "right",
                          render: (_, f) => {
                            const a = preview.amounts[f.name];
                            return a ? (
                              <span style={{ fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }}>{formatAmount(a, currency)}</span>
                            ) : (
                              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                {t("orders.lines.amountAfterSave")}
                              </Typography.Text>
                            );
                          },
                        },
                        {
                          key: "remove",
                          width: 40,
                          render: (_, f) => <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length <= 1} onClick={() => remove(f.name)} aria-label={t("common.remove")} />,
                        },
                      ]}
                    />
                    <Flex justify="space-between" align="center" wrap="wrap" gap={8} style={{ marginTop: 12 }}>
                      <Button icon={<PlusOutlined />} onClick={() => add(EMPTY_LINE)} data-testid="order-line-add">
                        {t("orders.lines.add")}
                      </Button>
                      <Typography.Text type="secondary" data-testid="order-preview-total">
                        {preview.total !== null ? t("orders.lines.previewTotal", { total: formatAmount(preview.total, currency) }) : t("orders.lines.pricedOnSave")}
                      </Typography.Text>
                    </Flex>
                  </>
                )}
              </Form.List>
            </Card>
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
