import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, DatePicker, Flex, Form, Input, Row, Skeleton } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { CurrencyField, CustomerContactFields, DocumentFormTitle, useDocumentCustomer } from "../orders/document.js";
import { EMPTY_LINE, LineItemsEditor, lineInputOf, lineValuesOf, type LineValues } from "../orders/lines.js";
import { createQuote, quotesKey, updateQuote, useQuote, type Quote, type QuoteInput } from "./api.js";
import { OpportunityPicker, PriceListPicker } from "./pickers.js";

interface Values {
  customerId?: string;
  contactId?: string | null;
  opportunityId?: string | null;
  priceListId?: string | null;
  currency?: string;
  quoteDate: Dayjs;
  validUntil?: Dayjs | null;
  paymentTerms?: string;
  deliveryTerms?: string;
  notes?: string;
  lines: LineValues[];
}

const blank = (v: string | null | undefined) => v === null || v === undefined || String(v).trim() === "";
const DAY = "YYYY-MM-DD";

const valuesOf = (q: Quote): Values => ({
  customerId: q.customerId,
  contactId: q.contactId,
  opportunityId: q.opportunityId,
  priceListId: q.priceListId,
  currency: q.currency,
  quoteDate: dayjs(q.quoteDate),
  validUntil: q.validUntil ? dayjs(q.validUntil) : null,
  paymentTerms: q.paymentTerms,
  deliveryTerms: q.deliveryTerms,
  notes: q.notes,
  lines: (q.lines ?? []).map(lineValuesOf),
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
  const can = useCan();
  // The pickers call APIs of their own permissions; without them the fields stay as saved.
  const pickOpportunity = can("opportunity:read");
  const pickPriceList = can("price_list:read");
  const [form] = Form.useForm<Values>();
  const editing = quoteId !== null;
  const quote = useQuote(quoteId);
  const { customerId, customer, currency } = useDocumentCustomer(form, editing, "priceListId");

  useEffect(() => {
    if (editing) return;
    form.setFieldsValue({ customerId: params.get("customerId") ?? undefined, quoteDate: dayjs(), validUntil: dayjs().add(30, "day"), lines: [EMPTY_LINE] });
  }, [editing, form, params]);

  useEffect(() => {
    if (quote.data) form.setFieldsValue(valuesOf(quote.data));
  }, [quote.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const header = {
        contactId: v.contactId ?? null,
        ...(pickOpportunity ? { opportunityId: v.opportunityId ?? null } : {}),
        ...(pickPriceList ? { priceListId: v.priceListId ?? null } : {}),
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

  return (
    <>
      <DocumentFormTitle back={q ? `/quotes/${q.id}` : "/quotes"} backLabel={q ? q.number : t("quotes.backToList")} title={q ? t("quotes.editTitle", { number: q.number }) : t("quotes.createTitle")} />
      {q?.sentAt ? <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("quotes.form.newRevision", { revision: q.currentRevision, next: q.currentRevision + 1 })} data-testid="quote-new-revision-note" /> : null}
      <Form<Values>
        form={form}
        name="quote"
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        onValuesChange={(changed: Partial<Values>) => {
          // An opportunity is the customer's; a price list is in one currency.
          if ("customerId" in changed) form.setFieldValue("opportunityId", null);
          if ("currency" in changed) form.setFieldValue("priceListId", null);
        }}
        data-testid="quote-form"
      >
        <Card>
          <Row gutter={16}>
            <CustomerContactFields savedName={q?.customerName} customerId={customerId} customer={customer} testId="quote" />
            {pickOpportunity ? (
              <Col {...half}>
                <Form.Item name="opportunityId" label={t("quotes.opportunity")}>
                  <OpportunityPicker customerId={customerId} data-testid="quote-opportunity" />
                </Form.Item>
              </Col>
            ) : null}
            {pickPriceList ? (
              <Col {...half}>
                <Form.Item name="priceListId" label={t("quotes.priceList")} extra={t("quotes.form.priceListHelp")}>
                  <PriceListPicker currency={currency} data-testid="quote-price-list" />
                </Form.Item>
              </Col>
            ) : null}
            <CurrencyField currency={currency} />
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
        <LineItemsEditor title={t("quotes.lines.title")} currency={currency} testId="quote" />
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
