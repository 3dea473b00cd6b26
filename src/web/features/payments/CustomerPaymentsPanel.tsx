import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Col, Descriptions, Empty, Flex, Row, Skeleton, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryRows } from "../../app/components/InfiniteTable.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useCan } from "../../app/session.js";
import { formatAmount } from "../orders/money.js";
import { AGEING_BUCKETS, usePaymentRecord, usePayments, type Payment } from "./api.js";
import { usePaymentColumns, VoidPaymentModal } from "./columns.js";
import { RecordPaymentDrawer } from "./RecordPaymentDrawer.js";

/** The payments tab of the customer 360° view: its payment record (回款信用), overdue amounts and its payments. */
export function CustomerPaymentsPanel({ customerId, customerName, currency }: { customerId: string; customerName: string; currency: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const payments = usePayments({ customerId }, { pageSize: 20 });
  const rows = useQueryRows(payments);
  const [recording, setRecording] = useState(false);
  const [voiding, setVoiding] = useState<Payment | null>(null);
  const columns = usePaymentColumns({ customer: false, onVoid: setVoiding });
  const prefill = useMemo(() => ({ customerId, customerName, currency }), [customerId, customerName, currency]);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={16}>
        <Flex vertical gap={12}>
          {can("payment:create") ? (
            <Button type="primary" icon={<PlusOutlined />} style={{ alignSelf: "flex-start" }} onClick={() => setRecording(true)} data-testid="customer-record-payment">
              {t("payments.record.button")}
            </Button>
          ) : null}
          <Table<Payment>
            size="small"
            rowKey="id"
            loading={payments.isPending}
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: <Empty description={t("payments.customerTab.empty")} /> }}
            data-testid="customer-payments"
          />
          {payments.hasNextPage ? (
            <Button onClick={() => void payments.fetchNextPage()} loading={payments.isFetchingNextPage} style={{ alignSelf: "center" }}>
              {t("common.loadMore")}
            </Button>
          ) : null}
        </Flex>
      </Col>
      <Col xs={24} lg={8}>
        {can("order:read") ? (
          <Card title={t("payments.history.title")} size="small">
            <PaymentRecordView customerId={customerId} />
          </Card>
        ) : null}
      </Col>
      <RecordPaymentDrawer open={recording} prefill={prefill} onClose={() => setRecording(false)} />
      <VoidPaymentModal payment={voiding} onClose={() => setVoiding(null)} />
    </Row>
  );
}

function PaymentRecordView({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const record = usePaymentRecord(customerId);
  if (record.isError) return <QueryError error={record.error} onRetry={() => void record.refetch()} />;
  if (!record.data) return <Skeleton active paragraph={{ rows: 4 }} />;
  const r = record.data;
  return (
    <Flex vertical gap={12} data-testid="customer-payment-record">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: "due", label: t("payments.history.instalmentsDue"), children: r.instalmentsDue },
          { key: "onTime", label: t("payments.history.paidOnTime"), children: r.paidOnTime },
          { key: "late", label: t("payments.history.paidLate"), children: r.paidLate },
          { key: "unpaid", label: t("payments.history.unpaid"), children: r.unpaid },
          { key: "rate", label: t("payments.history.onTimeRate"), children: r.onTimeRate === null ? "—" : `${Math.round(r.onTimeRate * 1000) / 10}%` },
          { key: "avg", label: t("payments.history.averageDaysLate"), children: r.averageDaysLate === null ? "—" : t("payments.history.days", { count: r.averageDaysLate }) },
          { key: "max", label: t("payments.history.maxDaysLate"), children: r.maxDaysLate === null ? "—" : t("payments.history.days", { count: r.maxDaysLate }) },
        ]}
      />
      <Typography.Text strong>{t("payments.history.overdue", { amount: formatAmount(r.overdue.total, r.currency) })}</Typography.Text>
      <Descriptions
        size="small"
        column={1}
        items={AGEING_BUCKETS.filter((b) => b !== "current").map((b) => ({ key: b, label: t(`payments.ageing.${b}`), children: formatAmount(r.overdue[b], r.currency) }))}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("payments.ageing.note", { currency: r.currency })}
      </Typography.Text>
    </Flex>
  );
}
