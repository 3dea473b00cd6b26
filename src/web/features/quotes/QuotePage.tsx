import { ArrowLeftOutlined, AuditOutlined, CheckOutlined, CloseCircleOutlined, DownloadOutlined, EditOutlined, FilePdfOutlined, MailOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Modal, Popconfirm, Segmented, Select, Skeleton, Table, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { currentLocale, LOCALES, type Locale } from "../../i18n/index.js";
import { ApprovalStatusTag } from "../approvals/tags.js";
import { useCustomer } from "../customers/api.js";
import { ordersKey } from "../orders/api.js";
import { formatAmount } from "../orders/money.js";
import { percentOf } from "../products/api.js";
import { useUserNames } from "../users/names.js";
import { acceptQuote, quotePdfUrl, quotesKey, rejectQuote, requestDiscountApproval, sendQuote, useQuote, useQuoteDiscountApproval, type QuoteLine } from "./api.js";
import { QuoteStatusTag } from "./tags.js";

const dash = (v: string | null | undefined) => (v ? v : "—");

interface SendValues {
  to: string;
  cc?: string[];
  message?: string;
  lang: Locale;
}

/**
 * One quote: a revision (the current one unless another is picked) with its
 * lines and the server's totals, its PDF, and what its status allows: edit
 * (a sent quote's change makes the next revision), discount approval, send,
 * accept into an order, reject.
 */
export function QuotePage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const userName = useUserNames();
  const [picked, setPicked] = useState<number | undefined>(undefined);
  const quote = useQuote(id, picked);
  const [pdfOpen, setPdfOpen] = useState(false);
  const [sending, setSending] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [sendForm] = Form.useForm<SendValues>();
  const [rejectForm] = Form.useForm<{ reason: string }>();
  const q = quote.data;
  const customer = useCustomer(q?.customerId);
  const needsApproval = Boolean(q && q.approvalRequired && !q.approvalId && q.status === "draft");
  const approval = useQuoteDiscountApproval(id, needsApproval);

  const reload = () => {
    void queryClient.invalidateQueries({ queryKey: quotesKey });
  };
  const done = (text: string) => {
    reload();
    void message.success(text);
  };

  const version = () => q!.version;
  const send = useMutation({
    mutationFn: (v: SendValues) => sendQuote(id, version(), { to: v.to.trim(), ...(v.cc?.length ? { cc: v.cc } : {}), ...(v.message?.trim() ? { message: v.message.trim() } : {}), lang: v.lang }),
    onSuccess: (sent) => {
      setSending(false);
      done(t("quotes.sent", { to: sent.sentTo }));
    },
    onError: (err) => handleSaveError(err, sendForm, reload),
  });
  const accept = useMutation({
    mutationFn: () => acceptQuote(id, version()),
    onSuccess: (accepted) => {
      void queryClient.invalidateQueries({ queryKey: ordersKey });
      done(t("quotes.accepted"));
      if (accepted.orderId) void navigate(`/orders/${accepted.orderId}`);
    },
    onError: (err) => handleSaveError(err, undefined, reload),
  });
  const reject = useMutation({
    mutationFn: (reason: string) => rejectQuote(id, version(), reason),
    onSuccess: () => {
      setRejecting(false);
      done(t("quotes.rejected"));
    },
    onError: (err) => handleSaveError(err, rejectForm, reload),
  });
  const ask = useMutation({
    mutationFn: () => requestDiscountApproval(id, version()),
    onSuccess: () => done(t("quotes.approval.requested")),
    onError: (err) => handleSaveError(err, undefined, reload),
  });

  if (quote.isError) return <QueryError error={quote.error} onRetry={() => void quote.refetch()} />;
  if (!q) return <Skeleton active />;

  const current = q.revision === q.currentRevision;
  const update = can("quote:update");
  const lang = currentLocale();
  const pdfUrl = quotePdfUrl(q.id, q.revision, lang);
  const emails = [...(customer.data?.contacts.find((c) => c.contactId === q.contactId)?.emails ?? []), ...(customer.data?.emails ?? [])].map((e) => e.address);

  const actions = (
    <Flex gap={8} wrap="wrap">
      <Button icon={<FilePdfOutlined />} onClick={() => setPdfOpen(true)} data-testid="quote-pdf-preview">
        {t("quotes.pdf.preview")}
      </Button>
      <Button icon={<DownloadOutlined />} href={pdfUrl} target="_blank" rel="noopener" data-testid="quote-pdf-open">
        {t("quotes.pdf.open")}
      </Button>
      {current && update && ["draft", "sent", "expired"].includes(q.status) ? (
        <Button icon={<EditOutlined />} onClick={() => void navigate(`/quotes/${q.id}/edit`)} data-testid="quote-edit">
          {t("common.edit")}
        </Button>
      ) : null}
      {current && update && ["draft", "sent"].includes(q.status) ? (
        <Button
          type={q.status === "draft" ? "primary" : "default"}
          icon={<MailOutlined />}
          disabled={needsApproval}
          onClick={() => {
            sendForm.setFieldsValue({ to: emails[0] ?? "", cc: [], message: "", lang });
            setSending(true);
          }}
          data-testid="quote-send"
        >
          {q.status === "sent" ? t("quotes.actions.resend") : t("quotes.actions.send")}
        </Button>
      ) : null}
      {current && update && can("order:create") && q.status === "sent" ? (
        <Popconfirm
          title={t("quotes.actions.acceptConfirm")}
          onConfirm={() => accept.mutateAsync().catch(() => undefined)}
          okButtonProps={{ "data-testid": "quote-accept-confirm" } as Record<string, string>}
        >
          <Button type="primary" icon={<CheckOutlined />} loading={accept.isPending} data-testid="quote-accept">
            {t("quotes.actions.accept")}
          </Button>
        </Popconfirm>
      ) : null}
      {current && update && ["sent", "expired"].includes(q.status) ? (
        <Button
          danger
          icon={<CloseCircleOutlined />}
          onClick={() => {
            rejectForm.resetFields();
            setRejecting(true);
          }}
          data-testid="quote-reject"
        >
          {t("quotes.actions.reject")}
        </Button>
      ) : null}
    </Flex>
  );

  const columns: TableColumnsType<QuoteLine> = [
    { key: "lineNo", title: "#", dataIndex: "lineNo", width: 40 },
    { key: "sku", title: t("orders.lines.sku"), dataIndex: "sku", width: 110, render: (v: string) => v || "—" },
    { key: "name", title: t("orders.lines.name"), dataIndex: "name" },
    { key: "quantity", title: t("orders.lines.quantity"), width: 100, align: "right", render: (_, l) => `${l.quantity.replace(/\.?0+$/, "")} ${l.unit}` },
    { key: "unitPrice", title: t("orders.lines.unitPrice"), width: 130, align: "right", render: (_, l) => formatAmount(l.unitPrice, q.currency, 4) },
    { key: "discount", title: t("orders.lines.discount"), width: 90, align: "right", render: (_, l) => `${percentOf(l.discountRate)}%` },
    { key: "tax", title: t("orders.lines.tax"), width: 80, align: "right", render: (_, l) => `${percentOf(l.taxRate)}%` },
    {
      key: "amount",
      title: t("orders.lines.amount"),
      width: 140,
      align: "right",
      render: (_, l) => <span style={{ fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }}>{formatAmount(l.amount, q.currency)}</span>,
    },
  ];
  const totals = [
    { key: "subtotal", label: t("orders.totals.subtotal"), value: q.subtotal },
    { key: "discount", label: t("orders.totals.discount"), value: q.discountTotal === "0.00" ? null : `-${q.discountTotal}` },
    { key: "tax", label: t("orders.totals.tax"), value: q.taxTotal },
  ].filter((x) => x.value !== null);
  const revisions = q.revisions ?? [];

  return (
    <>
      <Link to="/quotes" style={{ display: "inline-flex", gap: 6, marginBottom: 12 }}>
        <ArrowLeftOutlined />
        {t("quotes.backToList")}
      </Link>
      <Card style={{ marginBottom: 16 }} data-testid="quote-header">
        <Flex justify="space-between" align="flex-start" gap={16} wrap="wrap">
          <Flex vertical gap={6}>
            <Flex gap={8} align="center" wrap="wrap">
              <Typography.Title level={3} style={{ margin: 0 }} copyable={{ text: q.number }} data-testid="quote-number">
                {q.number}
              </Typography.Title>
              <QuoteStatusTag status={q.status} />
            </Flex>
            <Typography.Text type="secondary">
              <Link to={`/customers/${q.customerId}`}>{q.customerName}</Link> · {dayjs(q.quoteDate).format("LL")} · {userName(q.ownerId) ?? "—"}
            </Typography.Text>
          </Flex>
          {actions}
        </Flex>
        {revisions.length > 1 ? (
          <Flex gap={8} align="center" style={{ marginTop: 16 }} wrap="wrap">
            <Typography.Text type="secondary">{t("quotes.revision.label")}</Typography.Text>
            <Segmented<number>
              value={q.revision}
              onChange={(v) => setPicked(v === q.currentRevision ? undefined : v)}
              options={revisions.map((r) => ({ value: r.revision, label: <span data-testid={`quote-revision-${r.revision}`}>{`V${r.revision}`}</span> }))}
              data-testid="quote-revision-selector"
            />
          </Flex>
        ) : null}
      </Card>
      {!current ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={q.sentAt ? t("quotes.revision.oldSent", { revision: q.revision, at: dayjs(q.sentAt).format("L LT"), to: q.sentTo }) : t("quotes.revision.old", { revision: q.revision })}
          action={
            <Button size="small" onClick={() => setPicked(undefined)}>
              {t("quotes.revision.toCurrent", { revision: q.currentRevision })}
            </Button>
          }
          data-testid="quote-old-revision"
        />
      ) : null}
      {current && q.approvalRequired && q.status === "draft" ? (
        q.approvalId ? (
          <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t("quotes.approval.approved")} data-testid="quote-approval-approved" />
        ) : approval.data?.status === "pending" ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={
              <Flex gap={8} align="center" wrap="wrap">
                {t("quotes.approval.pending")}
                <ApprovalStatusTag status="pending" />
              </Flex>
            }
            action={
              <Button size="small" icon={<AuditOutlined />} onClick={() => void navigate(`/approvals/${approval.data!.id}`)}>
                {t("quotes.approval.view")}
              </Button>
            }
            data-testid="quote-approval-pending"
          />
        ) : (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={approval.data?.status === "rejected" ? t("quotes.approval.rejectedBefore") : t("quotes.approval.needed")}
            action={
              update ? (
                <Button size="small" type="primary" loading={ask.isPending} onClick={() => ask.mutate()} data-testid="quote-request-approval">
                  {t("quotes.approval.request")}
                </Button>
              ) : undefined
            }
            data-testid="quote-approval-needed"
          />
        )
      ) : null}
      {q.status === "accepted" && q.orderId ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("quotes.acceptedOn", { at: q.acceptedAt ? dayjs(q.acceptedAt).format("L") : "" })}
          action={
            <Button size="small" onClick={() => void navigate(`/orders/${q.orderId}`)} data-testid="quote-order-link">
              {t("quotes.viewOrder")}
            </Button>
          }
        />
      ) : null}
      {q.status === "rejected" ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("quotes.rejectedBecause", { reason: q.rejectedReason })} data-testid="quote-rejected-reason" /> : null}
      <Card title={t("quotes.lines.titleRevision", { revision: q.revision })} style={{ marginBottom: 16 }}>
        <Table<QuoteLine> size="small" rowKey="lineNo" pagination={false} columns={columns} dataSource={q.lines ?? []} scroll={{ x: 720 }} data-testid="quote-line-table" />
        <Flex vertical align="flex-end" gap={4} style={{ marginTop: 12 }} data-testid="quote-totals">
          {totals.map((x) => (
            <Flex key={x.key} gap={24} justify="flex-end" style={{ minWidth: 280 }}>
              <Typography.Text type="secondary">{x.label}</Typography.Text>
              <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatAmount(x.value, q.currency)}</span>
            </Flex>
          ))}
          <Flex gap={24} justify="flex-end" style={{ minWidth: 280 }}>
            <Typography.Text strong>{t("orders.totals.total")}</Typography.Text>
            <Typography.Text strong style={{ fontSize: 18, fontVariantNumeric: "tabular-nums" }} data-testid="quote-total">
              {formatAmount(q.total, q.currency)}
            </Typography.Text>
          </Flex>
        </Flex>
      </Card>
      <Card>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: "validUntil", label: t("quotes.validUntil"), children: q.validUntil ? dayjs(q.validUntil).format("LL") : "—" },
            { key: "contact", label: t("quotes.contact"), children: q.contactId ? <Link to={`/contacts/${q.contactId}`}>{customer.data?.contacts.find((c) => c.contactId === q.contactId)?.name ?? t("common.view")}</Link> : "—" },
            { key: "sent", label: t("quotes.sentAt"), children: q.sentAt ? `${dayjs(q.sentAt).format("L LT")} · ${q.sentTo}` : "—" },
            { key: "currency", label: t("quotes.currency"), children: q.currency },
            { key: "paymentTerms", label: t("quotes.paymentTerms"), span: "filled", children: <span style={{ whiteSpace: "pre-wrap" }}>{dash(q.paymentTerms)}</span> },
            { key: "deliveryTerms", label: t("quotes.deliveryTerms"), span: "filled", children: <span style={{ whiteSpace: "pre-wrap" }}>{dash(q.deliveryTerms)}</span> },
            { key: "notes", label: t("quotes.notes"), span: "filled", children: <span style={{ whiteSpace: "pre-wrap" }}>{dash(q.notes)}</span> },
            { key: "createdAt", label: t("common.createdAt"), children: dayjs(q.createdAt).format("L LT") },
            { key: "updatedAt", label: t("common.updatedAt"), children: dayjs(q.updatedAt).format("L LT") },
          ]}
        />
      </Card>
      <Modal
        open={pdfOpen}
        title={t("quotes.pdf.title", { number: q.number, revision: q.revision })}
        onCancel={() => setPdfOpen(false)}
        footer={
          <Button icon={<DownloadOutlined />} href={pdfUrl} target="_blank" rel="noopener">
            {t("quotes.pdf.open")}
          </Button>
        }
        width={960}
        destroyOnHidden
      >
        <iframe src={pdfUrl} title={t("quotes.pdf.title", { number: q.number, revision: q.revision })} style={{ width: "100%", height: "75vh", border: 0 }} data-testid="quote-pdf-frame" />
      </Modal>
      <Modal
        open={sending}
        title={t("quotes.sendDialog.title", { number: q.number, revision: q.revision })}
        onCancel={() => setSending(false)}
        onOk={() => sendForm.submit()}
        okText={t("quotes.actions.send")}
        okButtonProps={{ "data-testid": "quote-send-submit" } as Record<string, string>}
        confirmLoading={send.isPending}
        destroyOnHidden
        forceRender
      >
        <Form form={sendForm} name="quote-send" layout="vertical" onFinish={(v) => send.mutate(v)}>
          <Form.Item name="to" label={t("quotes.sendDialog.to")} rules={[{ required: true, type: "email", message: t("quotes.sendDialog.toInvalid") }]}>
            <Input maxLength={254} data-testid="quote-send-to" />
          </Form.Item>
          <Form.Item name="cc" label={t("quotes.sendDialog.cc")}>
            <Select mode="tags" tokenSeparators={[",", " ", ";"]} open={false} suffixIcon={null} />
          </Form.Item>
          <Form.Item name="message" label={t("quotes.sendDialog.message")}>
            <Input.TextArea rows={4} maxLength={5000} data-testid="quote-send-message" />
          </Form.Item>
          <Form.Item name="lang" label={t("quotes.sendDialog.lang")}>
            <Select options={LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) }))} />
          </Form.Item>
          <Typography.Text type="secondary">{t("quotes.sendDialog.note")}</Typography.Text>
        </Form>
      </Modal>
      <Modal
        open={rejecting}
        title={t("quotes.rejectDialog.title", { number: q.number })}
        onCancel={() => setRejecting(false)}
        onOk={() => rejectForm.submit()}
        okButtonProps={{ danger: true, ...({ "data-testid": "quote-reject-submit" } as Record<string, string>) }}
        confirmLoading={reject.isPending}
        destroyOnHidden
        forceRender
      >
        <Form form={rejectForm} name="quote-reject" layout="vertical" onFinish={(v) => reject.mutate(v.reason.trim())}>
          <Form.Item name="reason" label={t("quotes.rejectDialog.reason")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("quotes.rejectDialog.reason") }) }]}>
            <Input.TextArea rows={3} maxLength={500} data-testid="quote-reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
