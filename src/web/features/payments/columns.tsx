import { StopOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Flex, Form, Input, Modal, Tag, Tooltip, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { ordersKey } from "../orders/api.js";
import { formatAmount } from "../orders/money.js";
import { paymentsKey, voidPayment, type Instalment, type Payment } from "./api.js";

/** The columns of a payment list; `orderId` shows the part of each payment that went to that order. */
export function usePaymentColumns(opts: { customer: boolean; orderId?: string; onVoid?: (p: Payment) => void }): TableColumnsType<Payment> {
  const { t } = useTranslation();
  const can = useCan();
  const voidable = Boolean(opts.onVoid) && can("payment:void");
  return [
    {
      key: "number",
      title: t("payments.number"),
      width: 150,
      render: (_, p) => (
        <Flex gap={4} align="center" wrap="wrap" data-testid={`payment-row-${p.number}`}>
          <span style={{ whiteSpace: "nowrap", textDecoration: p.voidedAt ? "line-through" : undefined }}>{p.number}</span>
          {p.voidedAt ? (
            <Tooltip title={p.voidReason}>
              <Tag color="error" data-testid="payment-voided">
                {t("payments.voided")}
              </Tag>
            </Tooltip>
          ) : null}
        </Flex>
      ),
    },
    ...(opts.customer ? [{ key: "customer", title: t("payments.customer"), width: 200, render: (_: unknown, p: Payment) => <Link to={`/customers/${p.customerId}`}>{p.customerName}</Link> }] : []),
    {
      key: "amount",
      title: t("payments.amount"),
      width: 140,
      align: "right",
      render: (_, p) => <span style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>{formatAmount(p.amount, p.currency)}</span>,
    },
    { key: "receivedOn", title: t("payments.receivedOn"), width: 110, render: (_, p) => dayjs(p.receivedOn).format("L") },
    { key: "method", title: t("payments.method"), width: 110, render: (_, p) => t(`payments.methods.${p.method}`) },
    { key: "reference", title: t("payments.reference"), width: 150, render: (_, p) => p.reference || "—" },
    {
      key: "allocations",
      title: opts.orderId ? t("payments.toThisOrder") : t("payments.allocations"),
      width: 240,
      render: (_, p) => {
        const list = (p.allocations ?? []).filter((a) => !opts.orderId || a.orderId === opts.orderId);
        if (!list.length) return "—";
        return (
          <Flex vertical gap={0}>
            {list.map((a) => (
              <span key={a.orderId} style={{ whiteSpace: "nowrap" }}>
                {opts.orderId ? null : <Link to={`/orders/${a.orderId}`}>{a.orderNumber}</Link>} <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatAmount(a.amount, p.currency)}</span>
              </span>
            ))}
          </Flex>
        );
      },
    },
    ...(voidable
      ? [
          {
            key: "actions",
            width: 80,
            render: (_: unknown, p: Payment) =>
              p.voidedAt ? null : (
                <Button size="small" type="text" danger icon={<StopOutlined />} onClick={() => opts.onVoid!(p)} data-testid={`payment-void-${p.number}`}>
                  {t("payments.void.action")}
                </Button>
              ),
          },
        ]
      : []),
  ];
}

/** Asks for a reason and voids the payment: its amounts come off the orders again. */
export function VoidPaymentModal({ payment, onClose }: { payment: Payment | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const handleSaveError = useSaveErrorHandler();
  const [form] = Form.useForm<{ reason: string }>();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: paymentsKey });
    void queryClient.invalidateQueries({ queryKey: ordersKey });
  };
  const run = useMutation({
    mutationFn: (reason: string) => voidPayment(payment!.id, payment!.version, reason),
    onSuccess: (p) => {
      refresh();
      void message.success(t("payments.void.done", { number: p.number }));
      onClose();
    },
    onError: (err) => handleSaveError(err, form, refresh),
  });
  return (
    <Modal
      open={payment !== null}
      title={payment ? t("payments.void.title", { number: payment.number, amount: formatAmount(payment.amount, payment.currency) }) : ""}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ danger: true, ...({ "data-testid": "payment-void-submit" } as Record<string, string>) }}
      confirmLoading={run.isPending}
      destroyOnHidden
      forceRender
    >
      <Typography.Paragraph type="secondary">{t("payments.void.help")}</Typography.Paragraph>
      <Form form={form} name="payment-void" layout="vertical" onFinish={(v) => run.mutate(v.reason.trim())}>
        <Form.Item name="reason" label={t("payments.void.reason")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("payments.void.reason") }) }]}>
          <Input.TextArea rows={3} maxLength={500} data-testid="payment-void-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const INSTALMENT_COLORS: Record<Instalment["status"], string> = { paid: "success", partly_paid: "processing", open: "default", overdue: "error" };

export function InstalmentStatusTag({ instalment }: { instalment: Instalment }) {
  const { t } = useTranslation();
  return (
    <Tag color={INSTALMENT_COLORS[instalment.status]} data-testid="instalment-status" data-status={instalment.status}>
      {instalment.status === "overdue" ? t("payments.plan.overdueDays", { count: instalment.daysOverdue }) : t(`payments.plan.statuses.${instalment.status}`)}
    </Tag>
  );
}
