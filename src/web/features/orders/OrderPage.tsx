import { ArrowLeftOutlined, AuditOutlined, CheckOutlined, CloseCircleOutlined, EditOutlined, SendOutlined, CarOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, Modal, Popconfirm, Row, Skeleton, Steps, Table, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { customersKey } from "../customers/api.js";
import { percentOf } from "../products/api.js";
import { useUserNames } from "../users/names.js";
import { OrderPaymentsPanel } from "../payments/OrderPaymentsPanel.js";
import { RecordTasksPanel } from "../tasks/RecordTasksPanel.js";
import { cancelOrder, completeOrder, deliverOrder, orderKey, ordersKey, refusedCreditCheck, submitOrder, useOrder, type CreditCheck, type Order, type OrderLine } from "./api.js";
import { CreditCheckView, CreditPositionPanel, limitsKey, useCreditCheckLines } from "./credit.js";
import { formatAmount } from "./money.js";
import { OrderStatusTag } from "./tags.js";

const dash = (v: string | null | undefined) => (v ? v : "—");

/** Where an order stands on draft → submitted → approved → delivered → completed. */
function statusStep(o: Order): { current: number; status: "process" | "wait" | "error" | "finish" } {
  switch (o.status) {
    case "draft":
      return { current: 0, status: "process" };
    case "pending_approval":
      return { current: 1, status: "process" };
    case "approved":
      return { current: 2, status: "finish" };
    case "delivered":
      return { current: 3, status: "finish" };
    case "completed":
      return { current: 4, status: "finish" };
    case "cancelled":
      return { current: o.approvedAt ? 2 : 0, status: "error" };
  }
}

/** One order: status steps, the actions its status allows, lines and the server's totals, the credit check and the customer's position. */
export function OrderPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const userName = useUserNames();
  const order = useOrder(id);
  const [refused, setRefused] = useState<CreditCheck | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelForm] = Form.useForm<{ reason: string }>();
  const creditLines = useCreditCheckLines();

  const done = (o: Order, text: string) => {
    queryClient.setQueryData(orderKey(o.id), o);
    void queryClient.invalidateQueries({ queryKey: ordersKey });
    void queryClient.invalidateQueries({ queryKey: customersKey });
    void message.success(text);
  };
  const reload = () => void order.refetch();

  const submit = useMutation({
    mutationFn: () => submitOrder(id, order.data!.version),
    onSuccess: (o) => {
      setRefused(null);
      done(o, o.status === "pending_approval" ? t("orders.actions.sentForApproval") : t("orders.actions.approvedAtOnce"));
    },
    onError: (err) => {
      const check = refusedCreditCheck(err);
      if (check) {
        setRefused(check);
        return;
      }
      handleSaveError(err, undefined, reload);
    },
  });
  const transition = useMutation({
    mutationFn: (action: "deliver" | "complete") => (action === "deliver" ? deliverOrder : completeOrder)(id, order.data!.version),
    onSuccess: (o, action) => done(o, action === "deliver" ? t("orders.actions.delivered") : t("orders.actions.completed")),
    onError: (err) => handleSaveError(err, undefined, reload),
  });
  const cancel = useMutation({
    mutationFn: (reason: string) => cancelOrder(id, order.data!.version, reason),
    onSuccess: (o) => {
      setCancelling(false);
      done(o, t("orders.actions.cancelled"));
    },
    onError: (err) => handleSaveError(err, cancelForm, reload),
  });

  if (order.isError) return <QueryError error={order.error} onRetry={reload} />;
  if (!order.data) return <Skeleton active />;
  const o = order.data;
  const step = statusStep(o);
  const update = can("order:update");

  const actions = (
    <Flex gap={8} wrap="wrap">
      {o.status === "draft" && update ? (
        <>
          <Button icon={<EditOutlined />} onClick={() => void navigate(`/orders/${o.id}/edit`)} data-testid="order-edit">
            {t("common.edit")}
          </Button>
          <Popconfirm title={t("orders.actions.submitConfirm")} onConfirm={() => submit.mutateAsync().catch(() => undefined)} okButtonProps={{ "data-testid": "order-submit-confirm" } as Record<string, string>}>
            <Button type="primary" icon={<SendOutlined />} loading={submit.isPending} data-testid="order-submit">
              {t("orders.actions.submit")}
            </Button>
          </Popconfirm>
        </>
      ) : null}
      {o.status === "pending_approval" && o.approvalId ? (
        <Button icon={<AuditOutlined />} onClick={() => void navigate(`/approvals/${o.approvalId}`)} data-testid="order-approval-link">
          {t("orders.actions.viewApproval")}
        </Button>
      ) : null}
      {o.status === "approved" && update ? (
        <Button type="primary" icon={<CarOutlined />} loading={transition.isPending} onClick={() => transition.mutate("deliver")} data-testid="order-deliver">
          {t("orders.actions.deliver")}
        </Button>
      ) : null}
      {o.status === "delivered" && update ? (
        <Button type="primary" icon={<CheckOutlined />} loading={transition.isPending} onClick={() => transition.mutate("complete")} data-testid="order-complete">
          {t("orders.actions.complete")}
        </Button>
      ) : null}
      {(o.status === "draft" || o.status === "approved") && update ? (
        <Button
          danger
          icon={<CloseCircleOutlined />}
          onClick={() => {
            cancelForm.resetFields();
            setCancelling(true);
          }}
          data-testid="order-cancel"
        >
          {t("orders.actions.cancel")}
        </Button>
      ) : null}
    </Flex>
  );

  const columns: TableColumnsType<OrderLine> = [
    { key: "lineNo", title: "#", dataIndex: "lineNo", width: 40 },
    { key: "sku", title: t("orders.lines.sku"), dataIndex: "sku", width: 110, render: (v: string) => v || "—" },
    { key: "name", title: t("orders.lines.name"), dataIndex: "name" },
    { key: "quantity", title: t("orders.lines.quantity"), width: 100, align: "right", render: (_, l) => `${l.quantity.replace(/\.?0+$/, "")} ${l.unit}` },
    { key: "unitPrice", title: t("orders.lines.unitPrice"), width: 130, align: "right", render: (_, l) => formatAmount(l.unitPrice, o.currency, 4) },
    { key: "discount", title: t("orders.lines.discount"), width: 90, align: "right", render: (_, l) => `${percentOf(l.discountRate)}%` },
    { key: "tax", title: t("orders.lines.tax"), width: 80, align: "right", render: (_, l) => `${percentOf(l.taxRate)}%` },
    {
      key: "amount",
      title: t("orders.lines.amount"),
      width: 140,
      align: "right",
      render: (_, l) => <span style={{ fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }}>{formatAmount(l.amount, o.currency)}</span>,
    },
  ];

  const totals = [
    { key: "subtotal", label: t("orders.totals.subtotal"), value: o.subtotal },
    { key: "discount", label: t("orders.totals.discount"), value: o.discountTotal === "0.00" ? null : `-${o.discountTotal}` },
    { key: "tax", label: t("orders.totals.tax"), value: o.taxTotal },
  ].filter((x) => x.value !== null);

  const address = o.deliveryAddress ? [o.deliveryAddress.address, o.deliveryAddress.recipient, o.deliveryAddress.phone].filter(Boolean).join(" · ") : "";

  return (
    <>
      <Link to="/orders" style={{ display: "inline-flex", gap: 6, marginBottom: 12 }}>
        <ArrowLeftOutlined />
        {t("orders.backToList")}
      </Link>
      <Card style={{ marginBottom: 16 }} data-testid="order-header">
        <Flex justify="space-between" align="flex-start" gap={16} wrap="wrap">
          <Flex vertical gap={6}>
            <Flex gap={8} align="center" wrap="wrap">
              <Typography.Title level={3} style={{ margin: 0 }} copyable={{ text: o.number }} data-testid="order-number">
                {o.number}
              </Typography.Title>
              <OrderStatusTag status={o.status} />
            </Flex>
            <Typography.Text type="secondary">
              <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link> · {dayjs(o.orderDate).format("LL")} · {userName(o.ownerId) ?? "—"}
            </Typography.Text>
          </Flex>
          {actions}
        </Flex>
        <Steps
          style={{ marginTop: 20 }}
          size="small"
          current={step.current}
          status={step.status}
          items={[
            { title: t("orders.steps.draft") },
            { title: t("orders.steps.submitted"), description: o.submittedAt ? dayjs(o.submittedAt).format("L LT") : undefined },
            { title: t("orders.steps.approved"), description: o.approvedAt ? dayjs(o.approvedAt).format("L LT") : undefined },
            { title: t("orders.steps.delivered"), description: o.deliveredAt ? dayjs(o.deliveredAt).format("L LT") : undefined },
            { title: t("orders.steps.completed"), description: o.completedAt ? dayjs(o.completedAt).format("L LT") : undefined },
          ]}
          data-testid="order-steps"
        />
      </Card>
      {refused ? (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setRefused(null)}
          style={{ marginBottom: 16 }}
          title={t("orders.check.refusedTitle", { limits: t(`orders.check.limits.${limitsKey(refused)}`) })}
          description={
            <Flex vertical gap={2}>
              {creditLines(refused).map((l) => (
                <span key={l.kind} data-testid={`refused-${l.kind}`}>
                  {l.text}
                </span>
              ))}
              <Typography.Text type="secondary">{t("orders.check.refusedHint")}</Typography.Text>
            </Flex>
          }
          data-testid="credit-refused"
        />
      ) : null}
      {o.status === "pending_approval" ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("orders.approvalPending")}
          action={
            o.approvalId ? (
              <Button size="small" onClick={() => void navigate(`/approvals/${o.approvalId}`)}>
                {t("orders.actions.viewApproval")}
              </Button>
            ) : undefined
          }
          data-testid="order-pending-approval"
        />
      ) : null}
      {o.status === "cancelled" && o.cancelReason ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("orders.cancelledBecause", { reason: o.cancelReason })} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          {o.creditCheck ? (
            <div style={{ marginBottom: 16 }}>
              <CreditCheckView check={o.creditCheck} />
            </div>
          ) : null}
          <Card title={t("orders.lines.title")} style={{ marginBottom: 16 }}>
            <Table<OrderLine> size="small" rowKey="lineNo" pagination={false} columns={columns} dataSource={o.lines ?? []} scroll={{ x: 720 }} data-testid="order-line-table" />
            <Flex vertical align="flex-end" gap={4} style={{ marginTop: 12 }} data-testid="order-totals">
              {totals.map((x) => (
                <Flex key={x.key} gap={24} justify="flex-end" style={{ minWidth: 280 }}>
                  <Typography.Text type="secondary">{x.label}</Typography.Text>
                  <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatAmount(x.value, o.currency)}</span>
                </Flex>
              ))}
              <Flex gap={24} justify="flex-end" style={{ minWidth: 280 }}>
                <Typography.Text strong>{t("orders.totals.total")}</Typography.Text>
                <Typography.Text strong style={{ fontSize: 18, fontVariantNumeric: "tabular-nums" }} data-testid="order-total">
                  {formatAmount(o.total, o.currency)}
                </Typography.Text>
              </Flex>
              {o.paid !== "0.00" ? (
                <Typography.Text type="secondary">
                  {t("orders.totals.paid")} {formatAmount(o.paid, o.currency)}
                </Typography.Text>
              ) : null}
            </Flex>
          </Card>
          {o.status === "approved" || o.status === "delivered" || o.status === "completed" ? <OrderPaymentsPanel order={o} /> : null}
          <Card>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: "contact", label: t("orders.contact"), children: o.contactId ? <Link to={`/contacts/${o.contactId}`}>{t("common.view")}</Link> : "—" },
                { key: "expectedDelivery", label: t("orders.expectedDelivery"), children: o.expectedDelivery ? dayjs(o.expectedDelivery).format("LL") : "—" },
                { key: "channel", label: t("orders.channel"), children: dash(o.channel) },
                { key: "paymentTerms", label: t("orders.paymentTerms"), children: dash(o.paymentTerms) },
                { key: "address", label: t("orders.deliveryAddress"), span: "filled", children: <span data-testid="order-delivery-address">{dash(address)}</span> },
                { key: "notes", label: t("orders.notes"), span: "filled", children: o.notes ? <span style={{ whiteSpace: "pre-wrap" }}>{o.notes}</span> : "—" },
                { key: "createdAt", label: t("common.createdAt"), children: dayjs(o.createdAt).format("L LT") },
                { key: "updatedAt", label: t("common.updatedAt"), children: dayjs(o.updatedAt).format("L LT") },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Card title={t("orders.credit.title")} size="small">
            <CreditPositionPanel customerId={o.customerId} />
          </Card>
          <div style={{ marginTop: 16 }}>
            <RecordTasksPanel objectType="order" objectId={o.id} />
          </div>
        </Col>
      </Row>
      <Modal
        open={cancelling}
        title={t("orders.actions.cancelTitle", { number: o.number })}
        onCancel={() => setCancelling(false)}
        onOk={() => cancelForm.submit()}
        okButtonProps={{ danger: true }}
        confirmLoading={cancel.isPending}
        destroyOnHidden
        forceRender
      >
        <Form form={cancelForm} name="order-cancel" layout="vertical" onFinish={(v) => cancel.mutate(v.reason.trim())}>
          <Form.Item name="reason" label={t("orders.actions.cancelReason")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("orders.actions.cancelReason") }) }]}>
            <Input.TextArea rows={3} maxLength={500} data-testid="order-cancel-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
