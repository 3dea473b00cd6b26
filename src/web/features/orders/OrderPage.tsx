import { AuditOutlined, CheckOutlined, CloseCircleOutlined, SendOutlined, CarOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Popconfirm, Row, Skeleton, Steps, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { EditButton } from "../../app/components/record.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { customersKey } from "../customers/api.js";
import { OrderPaymentsPanel } from "../payments/OrderPaymentsPanel.js";
import { RecordTasksPanel } from "../tasks/RecordTasksPanel.js";
import { cancelOrder, completeOrder, deliverOrder, orderKey, ordersKey, refusedCreditCheck, submitOrder, useOrder, type CreditCheck, type Order } from "./api.js";
import { CreditCheckView, CreditPositionPanel, limitsKey, useCreditCheckLines } from "./credit.js";
import { DocumentHeader, ReasonDialog } from "./document.js";
import { LineItemsCard } from "./lines.js";
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
          <EditButton onClick={() => void navigate(`/orders/${o.id}/edit`)} testId="order-edit" />
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
        <Button danger icon={<CloseCircleOutlined />} onClick={() => setCancelling(true)} data-testid="order-cancel">
          {t("orders.actions.cancel")}
        </Button>
      ) : null}
    </Flex>
  );

  const address = o.deliveryAddress ? [o.deliveryAddress.address, o.deliveryAddress.recipient, o.deliveryAddress.phone].filter(Boolean).join(" · ") : "";

  return (
    <>
      <DocumentHeader doc={o} date={o.orderDate} status={<OrderStatusTag status={o.status} />} actions={actions} back="/orders" backLabel={t("orders.backToList")} testId="order">
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
      </DocumentHeader>
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
          <LineItemsCard title={t("orders.lines.title")} doc={o} testId="order">
            {o.paid !== "0.00" ? (
              <Typography.Text type="secondary">
                {t("orders.totals.paid")} {formatAmount(o.paid, o.currency)}
              </Typography.Text>
            ) : null}
          </LineItemsCard>
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
      <ReasonDialog
        open={cancelling}
        title={t("orders.actions.cancelTitle", { number: o.number })}
        label={t("orders.actions.cancelReason")}
        form={cancelForm}
        saving={cancel.isPending}
        onCancel={() => setCancelling(false)}
        onOk={(reason) => cancel.mutate(reason)}
        testId="order-cancel"
      />
    </>
  );
}
