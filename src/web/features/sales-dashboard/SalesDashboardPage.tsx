import { Alert, Button, Card, Col, DatePicker, Empty, Progress, Row, Segmented, Spin, Statistic, Typography } from "antd";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { formatAmount } from "../orders/money.js";
import { PERIOD_TYPES, type PeriodType } from "../targets/api.js";
import { AGEING_BUCKETS, useSalesDashboard, type SalesDashboard } from "./api.js";
import { EChart, type ChartOption } from "./EChart.js";

// Charts take numbers: amounts are exact strings everywhere else and become floats only to be drawn.
const plot = (amount: string) => Number(amount);
const percent = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

function useCharts(data: SalesDashboard | undefined) {
  const { t } = useTranslation();
  return useMemo(() => {
    if (!data) return null;
    const money = (v: unknown) => formatAmount(String(v), data.currency);
    const months: ChartOption | null = data.months && {
      tooltip: { trigger: "axis", valueFormatter: money },
      legend: {},
      grid: { left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months.map((m) => m.month) },
      yAxis: { type: "value" },
      series: [
        { name: t("salesDashboard.monthOrders"), type: "bar", data: data.months.map((m) => plot(m.amount)) },
        { name: t("salesDashboard.monthPayments"), type: "line", smooth: true, data: data.months.map((m) => plot(m.payments)) },
      ],
    };
    const open = data.pipeline?.stages.filter((s) => s.kind === "open") ?? [];
    const pipeline: ChartOption | null = data.pipeline && {
      tooltip: { trigger: "axis", valueFormatter: money },
      legend: {},
      grid: { left: 8, right: 24, bottom: 8, containLabel: true },
      yAxis: { type: "category", inverse: true, data: open.map((s) => `${s.name} (${s.count})`) },
      xAxis: { type: "value" },
      series: [
        { name: t("salesDashboard.stageAmount"), type: "bar", data: open.map((s) => plot(s.amount)) },
        { name: t("salesDashboard.stageWeighted"), type: "bar", data: open.map((s) => plot(s.weighted)) },
      ],
    };
    const ageing: ChartOption | null = data.receivables && {
      tooltip: { trigger: "item", valueFormatter: money },
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["40%", "70%"],
          center: ["50%", "45%"],
          data: AGEING_BUCKETS.map((b) => ({ name: t(`salesDashboard.buckets.${b}`), value: plot(data.receivables!.buckets[b]) })).filter((d) => d.value > 0),
        },
      ],
    };
    return { months, pipeline, ageing };
  }, [data, t]);
}

/** The sales dashboard: key figures, orders by month, pipeline by stage, receivables ageing, target attainment. */
export function SalesDashboardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [range, setRange] = useState<[string, string]>([dayjs().startOf("year").format("YYYY-MM-DD"), dayjs().format("YYYY-MM-DD")]);
  const [periodType, setPeriodType] = useState<PeriodType>("month");
  const query = useSalesDashboard({ from: range[0], to: range[1], periodType });
  const data = query.data;
  const charts = useCharts(data);
  const fmt = (v: string | undefined) => formatAmount(v ?? null, data?.currency);

  return (
    <>
      <PageHeader
        title={t("salesDashboard.title")}
        subtitle={t("salesDashboard.subtitle")}
        extra={
          <>
            <DatePicker.RangePicker
              allowClear={false}
              value={[dayjs(range[0]), dayjs(range[1])]}
              onChange={(r) => r?.[0] && r[1] && setRange([r[0].format("YYYY-MM-DD"), r[1].format("YYYY-MM-DD")])}
              data-testid="sales-range"
            />
            <Segmented<PeriodType> value={periodType} onChange={setPeriodType} options={PERIOD_TYPES.map((p) => ({ value: p, label: t(`targets.periodTypes.${p}`) }))} />
          </>
        }
      />
      {query.isError ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      <Spin spinning={query.isFetching && !data}>
        <Row gutter={[16, 16]}>
          {data?.totals ? (
            <>
              <Col xs={12} lg={4}>
                <Card size="small" data-testid="sales-orders">
                  <Statistic title={t("salesDashboard.ordersAmount")} value={fmt(data.totals.amount)} />
                  <Typography.Text type="secondary">{t("salesDashboard.ordersCount", { count: data.totals.orders })}</Typography.Text>
                </Card>
              </Col>
              <Col xs={12} lg={4}>
                <Card size="small" data-testid="sales-payments">
                  <Statistic title={t("salesDashboard.payments")} value={fmt(data.totals.payments)} />
                </Card>
              </Col>
              <Col xs={12} lg={4}>
                <Card size="small" data-testid="sales-receivables">
                  <Statistic title={t("salesDashboard.receivables")} value={fmt(data.receivables?.total)} />
                  <Typography.Text type="danger">{t("salesDashboard.overdue", { amount: fmt(data.receivables?.overdue) })}</Typography.Text>
                </Card>
              </Col>
            </>
          ) : null}
          {data?.pipeline ? (
            <>
              <Col xs={12} lg={4}>
                <Card size="small">
                  <Statistic title={t("salesDashboard.winRate")} value={percent(data.pipeline.winRate) ?? t("salesDashboard.none")} suffix={data.pipeline.winRate === null ? undefined : "%"} />
                  <Typography.Text type="secondary">{t("salesDashboard.wonLost", { won: data.pipeline.won.count, lost: data.pipeline.lost.count })}</Typography.Text>
                </Card>
              </Col>
              <Col xs={12} lg={4}>
                <Card size="small">
                  <Statistic
                    title={t("salesDashboard.cycle")}
                    value={data.pipeline.averageCycleDays === null ? t("salesDashboard.none") : t("salesDashboard.days", { days: data.pipeline.averageCycleDays })}
                  />
                </Card>
              </Col>
            </>
          ) : null}
          {data?.conversion ? (
            <Col xs={12} lg={4}>
              <Card size="small">
                <Statistic title={t("salesDashboard.conversion")} value={percent(data.conversion.rate) ?? t("salesDashboard.none")} suffix={data.conversion.rate === null ? undefined : "%"} />
                <Typography.Text type="secondary">{t("salesDashboard.converted", { converted: data.conversion.converted, leads: data.conversion.leads })}</Typography.Text>
              </Card>
            </Col>
          ) : null}
          {charts?.months ? (
            <Col xs={24} xl={14}>
              <Card title={t("salesDashboard.byMonth")} size="small">
                <EChart option={charts.months} testId="sales-chart-months" />
              </Card>
            </Col>
          ) : null}
          {charts?.ageing ? (
            <Col xs={24} xl={10}>
              <Card title={t("salesDashboard.ageing")} size="small">
                {data?.receivables && data.receivables.total !== "0.00" ? <EChart option={charts.ageing} testId="sales-chart-ageing" /> : <Empty style={{ height: 268 }} />}
              </Card>
            </Col>
          ) : null}
          {charts?.pipeline ? (
            <Col xs={24} xl={14}>
              <Card title={t("salesDashboard.pipeline")} size="small">
                {data?.pipeline?.missingRates.length ? <Alert type="warning" showIcon title={t("salesDashboard.missingRates", { currencies: data.pipeline.missingRates.join(", ") })} style={{ marginBottom: 8 }} /> : null}
                <EChart option={charts.pipeline} testId="sales-chart-pipeline" />
              </Card>
            </Col>
          ) : null}
          {data?.targets ? (
            <Col xs={24} xl={10}>
              <Card
                title={t("salesDashboard.attainment")}
                size="small"
                extra={
                  <Button type="link" size="small" onClick={() => void navigate("/targets")}>
                    {t("salesDashboard.manageTargets")}
                  </Button>
                }
              >
                {data.targets.length === 0 ? (
                  <Empty description={t("salesDashboard.noTargets")} />
                ) : (
                  data.targets.slice(0, 8).map((target) => (
                    <div key={target.id} style={{ marginBottom: 8 }} data-testid={`sales-target-${target.scopeId}`}>
                      <Typography.Text>
                        {target.scopeName} · {t(`targets.metrics.${target.metric}`)}
                      </Typography.Text>
                      <Progress percent={percent(target.attainment) ?? 0} format={() => `${percent(target.attainment) ?? 0}%`} size="small" status={target.attainment !== null && target.attainment >= 1 ? "success" : "normal"} />
                    </div>
                  ))
                )}
              </Card>
            </Col>
          ) : null}
        </Row>
      </Spin>
    </>
  );
}
