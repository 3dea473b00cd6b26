import { Alert, Descriptions, Empty, Flex, Progress, Skeleton, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useCreditPosition, type CreditCheck, type CreditLimitKind } from "./api.js";
import { formatAmount, money, overBy } from "./money.js";

/** Share of a limit used, 0–100, for a progress bar (display only). */
function usedPercent(used: string, limit: string | null): number | null {
  if (limit === null || money(limit).lte(0)) return null;
  return Math.min(100, money(used).div(limit).times(100).toDecimalPlaces(0).toNumber());
}

/** A customer's credit position today: limit, receivables, available, period sales against the sales limit. */
export function CreditPositionPanel({ customerId }: { customerId: string | null | undefined }) {
  const { t } = useTranslation();
  const credit = useCreditPosition(customerId);
  if (!customerId) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("orders.credit.pickCustomer")} />;
  if (credit.isError) return <QueryError error={credit.error} onRetry={() => void credit.refetch()} />;
  if (!credit.data) return <Skeleton active paragraph={{ rows: 4 }} />;
  const c = credit.data;
  const fmt = (v: string | null) => (v === null ? t("orders.credit.noLimit") : formatAmount(v, c.currency));
  const creditUsed = usedPercent(c.outstanding, c.creditLimit);
  const salesUsed = usedPercent(c.periodSales, c.salesLimit);
  const negative = c.available !== null && money(c.available).lt(0);
  return (
    <Flex vertical gap={8} data-testid="credit-position">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: "limit", label: t("orders.credit.creditLimit"), children: <span data-testid="credit-limit">{fmt(c.creditLimit)}</span> },
          { key: "outstanding", label: t("orders.credit.outstanding"), children: <span data-testid="credit-outstanding">{formatAmount(c.outstanding, c.currency)}</span> },
          {
            key: "available",
            label: t("orders.credit.available"),
            children: (
              <Typography.Text type={negative ? "danger" : undefined} strong data-testid="credit-available">
                {fmt(c.available)}
              </Typography.Text>
            ),
          },
        ]}
      />
      {creditUsed !== null ? <Progress percent={creditUsed} size="small" status={creditUsed >= 100 ? "exception" : "normal"} /> : null}
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: "sales", label: t("orders.credit.periodSales"), children: <span data-testid="credit-period-sales">{formatAmount(c.periodSales, c.currency)}</span> },
          { key: "salesLimit", label: t("orders.credit.salesLimit"), children: fmt(c.salesLimit) },
        ]}
      />
      {salesUsed !== null ? <Progress percent={salesUsed} size="small" status={salesUsed >= 100 ? "exception" : "normal"} /> : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("orders.credit.period", { from: dayjs(c.period.from).format("L"), to: dayjs(c.period.to).subtract(1, "day").format("L") })}
        <br />
        {t("orders.credit.note", { currency: c.currency })}
      </Typography.Text>
    </Flex>
  );
}

/** One sentence per exceeded limit with its figures: what the customer owes or bought, this order, the limit, and the excess. */
export function useCreditCheckLines() {
  const { t } = useTranslation();
  return (check: CreditCheck): { kind: CreditLimitKind; text: string }[] => {
    const fmt = (v: string) => formatAmount(v, check.currency);
    return check.exceeded.map((kind) => {
      if (kind === "credit_limit") {
        const { after, excess } = overBy(check.outstanding, check.orderAmount, check.creditLimit ?? "0");
        return {
          kind,
          text: t("orders.check.creditLine", { outstanding: fmt(check.outstanding), order: fmt(check.orderAmount), after: fmt(after), limit: fmt(check.creditLimit ?? "0"), excess: fmt(excess) }),
        };
      }
      const { after, excess } = overBy(check.periodSales, check.orderAmount, check.salesLimit ?? "0");
      return {
        kind,
        text: t("orders.check.salesLine", { sales: fmt(check.periodSales), order: fmt(check.orderAmount), after: fmt(after), limit: fmt(check.salesLimit ?? "0"), excess: fmt(excess) }),
      };
    });
  };
}

export const limitsKey = (check: CreditCheck) => (check.exceeded.length > 1 ? "both" : (check.exceeded[0] ?? "credit_limit"));

/** The figures of a credit check: which limit was exceeded and by how much. */
export function CreditCheckView({ check, title }: { check: CreditCheck; title?: string }) {
  const { t } = useTranslation();
  const lines = useCreditCheckLines()(check);
  const exceeded = check.exceeded.length > 0;
  return (
    <Alert
      type={exceeded ? "warning" : "success"}
      showIcon
      title={title ?? (exceeded ? t("orders.check.exceeded") : t("orders.check.passed"))}
      description={
        <Flex vertical gap={2}>
          {lines.map((l) => (
            <span key={l.kind} data-testid={`credit-check-${l.kind}`}>
              {l.text}
            </span>
          ))}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t("orders.check.orderAmount")} {formatAmount(check.orderAmount, check.currency)} · {t("orders.check.checkedAt", { time: dayjs(check.checkedAt).format("L LT") })}
          </Typography.Text>
        </Flex>
      }
      data-testid="credit-check"
    />
  );
}
