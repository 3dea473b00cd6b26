import { AuditOutlined, CheckOutlined, CloseCircleOutlined, DownloadOutlined, FilePdfOutlined, MailOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Modal, Popconfirm, Segmented, Select, Skeleton, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { useQueryRows } from "../../app/components/InfiniteTable.js";
import { QueryError } from "../../app/components/QueryError.js";
import { EditButton } from "../../app/components/record.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { currentLocale, LOCALES, type Locale } from "../../i18n/index.js";
import { approvalsKey, useApproval, useRecordApproval } from "../approvals/api.js";
import { ApprovalStatusTag } from "../approvals/tags.js";
import { useCustomer } from "../customers/api.js";
import { ordersKey } from "../orders/api.js";
import { DocumentHeader, ReasonDialog } from "../orders/document.js";
import { LineItemsCard } from "../orders/lines.js";
import { useOpportunity } from "../opportunities/api.js";
import { usePriceLists } from "../products/api.js";
import { acceptQuote, quotePdfUrl, quotesKey, rejectQuote, requestDiscountApproval, sendQuote, useQuote } from "./api.js";
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
  // Whoever may see the request (requester, its approvers, managers, admins), not only the viewer's own requests.
  const approval = useRecordApproval("quote", id, "discount", needsApproval);
  const approvalDetail = useApproval(approval.data?.status === "pending" ? approval.data.id : null);
  const opportunity = useOpportunity(can("opportunity:read") ? q?.opportunityId : null);
  const priceLists = useQueryRows(usePriceLists(can("price_list:read") && Boolean(q?.priceListId)));

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
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: approvalsKey });
      done(t("quotes.approval.requested"));
    },
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
        <EditButton onClick={() => void navigate(`/quotes/${q.id}/edit`)} testId="quote-edit" />
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
        <Button danger icon={<CloseCircleOutlined />} onClick={() => setRejecting(true)} data-testid="quote-reject">
          {t("quotes.actions.reject")}
        </Button>
      ) : null}
    </Flex>
  );

  const revisions = q.revisions ?? [];

  return (
    <>
      <DocumentHeader doc={q} date={q.quoteDate} status={<QuoteStatusTag status={q.status} />} actions={actions} back="/quotes" backLabel={t("quotes.backToList")} testId="quote">
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
      </DocumentHeader>
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
              <Button
                size="small"
                type={approvalDetail.data?.canDecide ? "primary" : "default"}
                icon={<AuditOutlined />}
                onClick={() => void navigate(`/approvals/${approval.data!.id}`)}
                data-testid="quote-approval-open"
              >
                {approvalDetail.data?.canDecide ? t("approvals.decideNow") : t("quotes.approval.view")}
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
      <LineItemsCard title={t("quotes.lines.titleRevision", { revision: q.revision })} doc={q} testId="quote" />
      <Card>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: "validUntil", label: t("quotes.validUntil"), children: q.validUntil ? dayjs(q.validUntil).format("LL") : "—" },
            { key: "contact", label: t("quotes.contact"), children: q.contactId ? <Link to={`/contacts/${q.contactId}`}>{customer.data?.contacts.find((c) => c.contactId === q.contactId)?.name ?? t("common.view")}</Link> : "—" },
            { key: "sent", label: t("quotes.sentAt"), children: q.sentAt ? `${dayjs(q.sentAt).format("L LT")} · ${q.sentTo}` : "—" },
            { key: "currency", label: t("quotes.currency"), children: q.currency },
            {
              key: "opportunity",
              label: t("quotes.opportunity"),
              children: q.opportunityId ? <Link to={`/opportunities/${q.opportunityId}`}>{opportunity.data?.name ?? t("common.view")}</Link> : "—",
            },
            {
              key: "priceList",
              label: t("quotes.priceList"),
              children: q.priceListId ? <Link to={`/products/price-lists/${q.priceListId}`}>{priceLists.find((l) => l.id === q.priceListId)?.name ?? t("common.view")}</Link> : "—",
            },
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
      <ReasonDialog
        open={rejecting}
        title={t("quotes.rejectDialog.title", { number: q.number })}
        label={t("quotes.rejectDialog.reason")}
        form={rejectForm}
        saving={reject.isPending}
        onCancel={() => setRejecting(false)}
        onOk={(reason) => reject.mutate(reason)}
        testId="quote-reject"
      />
    </>
  );
}
