import { ArrowLeftOutlined, MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, DatePicker, Flex, Form, Input, InputNumber, Row, Select, Skeleton, Table, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { CustomerPicker } from "../contacts/CustomerPicker.js";
import { useCustomer } from "../customers/api.js";
import { CURRENCIES } from "../customers/format.js";
import type { OrderLineInput } from "../orders/api.js";
import { formatAmount, previewLineAmount, sumAmounts } from "../orders/money.js";
import { fractionOf, groupDigits, parseDigits, percentOf } from "../products/api.js";
import { ProductPicker } from "../products/ProductPicker.js";
import { createQuote, quotesKey, updateQuote, useQuote, type Quote, type QuoteInput } from "./api.js";

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
  quoteDate: Dayjs;
  validUntil?: Dayjs | null;
  paymentTerms?: string;
  deliveryTerms?: string;
  notes?: string;
  lines: LineValues[];
}

const blank = (v: string | null | undefined) => v === null || v === undefined || String(v).trim() === "";
const EMPTY_LINE: LineValues = { productId: null, name: "", unit: "", quantity: "1", unitPrice: null, discount: null, tax: null };
const DAY = "YYYY-MM-DD";

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

const valuesOf = (q: Quote): Values => ({
  customerId: q.customerId,
  contactId: q.contactId,
  currency: q.currency,
  quoteDate: dayjs(q.quoteDate),
  validUntil: q.validUntil ? dayjs(q.validUntil) : null,
  paymentTerms: q.paymentTerms,
  deliveryTerms: q.deliveryTerms,
  notes: q.notes,
  lines: (q.lines ?? []).map((l) => ({
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

/** New quote (/quotes/new?customerId=) or a change (/quotes/:id/edit): a sent quote's change becomes its next revision. */
export function QuoteFormPage() {
  const { id } = useParams();
  return <QuoteForm key={id ?? "new"} quoteId={id ?? null} />;
}

function QuoteForm({ quoteId }: { quoteId: string | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const [form] = Form.useForm<Values>();
  const editing = quoteId !== null;
  const quote = useQuote(quoteId);
  const customerId = Form.useWatch("customerId", form);
  const customer = useCustomer(customerId);
  const lines = Form.useWatch("lines", form);
  const currency = Form.useWatch("currency", form) ?? customer.data?.currency ?? "CNY";

  useEffect(() => {
    if (editing) return;
    form.setFieldsValue({ customerId: params.get("customerId") ?? undefined, quoteDate: dayjs(), validUntil: dayjs().add(30, "day"), lines: [EMPTY_LINE] });
  }, [editing, form, params]);

  useEffect(() => {
    if (quote.data) form.setFieldsValue(valuesOf(quote.data));
  }, [quote.data, form]);

  const customerCurrency = customer.data?.currency;
  useEffect(() => {
    if (!editing && customerCurrency && !form.isFieldTouched("currency")) form.setFieldValue("currency", customerCurrency);
  }, [editing, customerCurrency, form]);

  // An estimate with the same exact arithmetic as the server; the saved quote shows the server's figures.
  const preview = useMemo(() => {
    const amounts = (lines ?? []).map((l) => (l ? previewLineAmount({ quantity: l.quantity, unitPrice: l.unitPrice, discountRate: blank(l.discount) ? null : fractionOf(l.discount), taxRate: fractionOf(l.tax) }) : null));
    return { amounts, total: amounts.length && amounts.every((a) => a !== null) ? sumAmounts(amounts as string[]) : null };
  }, [lines]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const header = {
        contactId: v.contactId ?? null,
        currency: v.currency,
        quoteDate: v.quoteDate.format(DAY),
        validUntil: v.validUntil ? v.validUntil.format(DAY) : null,
        ...(blank(v.paymentTerms) ? {} : { paymentTerms: v.paymentTerms!.trim() }),
        deliveryTerms: v.deliveryTerms?.trim() ?? "",
        notes: v.notes?.trim() ?? "",
        lines: v.lines.map(lineInputOf),
      };
      if (!quote.data) return createQuote({ customerId: v.customerId!, ...header } as QuoteInput);
      return updateQuote(quote.data.id, { ...header, version: quote.data.version });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: quotesKey });
      void message.success(editing ? t("quotes.savedMsg", { revision: saved.revision }) : t("quotes.createdMsg", { number: saved.number }));
      void navigate(`/quotes/${saved.id}`);
    },
    onError: (err) => handleSaveError(err, form, () => void quote.refetch()),
  });

  if (quote.isError) return <QueryError error={quote.error} onRetry={() => void quote.refetch()} />;
  if (editing && !quote.data) return <Skeleton active />;

  const q = quote.data;
  const half = { xs: 24, sm: 12 };
  const contacts = customer.data?.contacts ?? [];

  return (
    <>
      <Link to={q ? `/quotes/${q.id}` : "/quotes"} style={{ display: "inline-flex", gap: 6, marginBottom: 12 }}>
        <ArrowLeftOutlined />
        {q ? q.number : t("quotes.backToList")}
      </Link>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {q ? t("quotes.editTitle", { number: q.number }) : t("quotes.createTitle")}
      </Typography.Title>
      {q?.sentAt ? <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("quotes.form.newRevision", { revision: q.currentRevision, next: q.currentRevision + 1 })} data-testid="quote-new-revision-note" /> : null}
      <Form<Values> form={form} name="quote" layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="quote-form">
        <Card>
          <Row gutter={16}>
            <Col {...half}>
              {q ? (
                <Form.Item label={t("quotes.customer")}>
                  <Input value={q.customerName} disabled />
                </Form.Item>
              ) : null}
              <Form.Item name="customerId" label={t("quotes.customer")} hidden={Boolean(q)} rules={[{ required: true, message: t("validation.select", { field: t("quotes.customer") }) }]}>
                <CustomerPicker known={customer.data ? { [customer.data.id]: customer.data.name } : undefined} data-testid="quote-customer" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item name="contactId" label={t("quotes.contact")}>
                <Select allowClear options={contacts.map((c) => ({ value: c.contactId, label: c.name }))} disabled={!customerId} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="currency" label={t("quotes.currency")}>
                <Select showSearch options={[...new Set([currency, ...CURRENCIES])].map((c) => ({ value: c, label: c }))} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="quoteDate" label={t("quotes.quoteDate")} rules={[{ required: true }]}>
                <DatePicker allowClear={false} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="validUntil" label={t("quotes.validUntil")}>
                <DatePicker style={{ width: "100%" }} data-testid="quote-valid-until" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} />
            <Col {...half}>
              <Form.Item name="paymentTerms" label={t("quotes.paymentTerms")}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} placeholder={t("quotes.form.paymentTermsPlaceholder")} data-testid="quote-payment-terms" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item name="deliveryTerms" label={t("quotes.deliveryTerms")}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} data-testid="quote-delivery-terms" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="notes" label={t("quotes.notes")}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={5000} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t("quotes.lines.title")} style={{ marginTop: 16 }}>
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
                  data-testid="quote-lines"
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
                            data-testid={`quote-line-product-${f.name}`}
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
                          <Input maxLength={200} data-testid={`quote-line-name-${f.name}`} />
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
                          <InputNumber<string> stringMode min="0" style={{ width: "100%" }} data-testid={`quote-line-quantity-${f.name}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      key: "unitPrice",
                      title: t("orders.lines.unitPrice"),
                      width: 140,
                      render: (_, f) => (
                        <Form.Item name={[f.name, "unitPrice"]} style={{ margin: 0 }}>
                          <InputNumber<string>
                            stringMode
                            min="0"
                            formatter={groupDigits}
                            parser={parseDigits}
                            placeholder={t("orders.lines.unitPriceAuto")}
                            style={{ width: "100%" }}
                            data-testid={`quote-line-price-${f.name}`}
                          />
                        </Form.Item>
                      ),
                    },
                    {
                      key: "discount",
                      title: t("orders.lines.discount"),
                      width: 100,
                      render: (_, f) => (
                        <Form.Item name={[f.name, "discount"]} style={{ margin: 0 }}>
                          <InputNumber<string> stringMode min="0" max="100" placeholder={t("orders.lines.discountAuto")} style={{ width: "100%" }} data-testid={`quote-line-discount-${f.name}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      key: "tax",
                      title: t("orders.lines.tax"),
                      width: 90,
                      render: (_, f) => (
                        <Form.Item name={[f.name, "tax"]} style={{ margin: 0 }}>
                          <InputNumber<string> stringMode min="0" max="100" style={{ width: "100%" }} data-testid={`quote-line-tax-${f.name}`} />
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
                  <Button icon={<PlusOutlined />} onClick={() => add(EMPTY_LINE)} data-testid="quote-line-add">
                    {t("orders.lines.add")}
                  </Button>
                  <Typography.Text type="secondary" data-testid="quote-preview-total">
                    {preview.total !== null ? t("orders.lines.previewTotal", { total: formatAmount(preview.total, currency) }) : t("orders.lines.pricedOnSave")}
                  </Typography.Text>
                </Flex>
              </>
            )}
          </Form.List>
        </Card>
        <Flex justify="flex-end" gap={8} style={{ marginTop: 16 }}>
          <Button onClick={() => void navigate(q ? `/quotes/${q.id}` : "/quotes")}>{t("common.cancel")}</Button>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="quote-save">
            {t("common.save")}
          </Button>
        </Flex>
      </Form>
    </>
  );
}
