import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Flex, Input, Segmented, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useEffect, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { useCan } from "../../app/session.js";
import { CustomerPicker } from "../contacts/CustomerPicker.js";
import { OwnerFilter } from "../customers/OwnerFilter.js";
import { formatAmount } from "../orders/money.js";
import { useUserNames } from "../users/names.js";
import { QUOTE_STATUSES, useQuotes, type Quote, type QuoteFilters, type QuoteStatus } from "./api.js";
import { QuoteStatusTag } from "./tags.js";

/** Quotes: status tabs, customer and owner filters, number search; each with its current revision's total. */
export function QuotesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const userName = useUserNames();
  const [filters, setFilters] = useState<QuoteFilters>({});
  const [number, setNumber] = useState("");
  const [customerName, setCustomerName] = useState<Record<string, string>>({});

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => ((f.number ?? "") === number ? f : { ...f, number })), 300);
    return () => clearTimeout(timer);
  }, [number]);

  const quotes = useQuotes(filters);
  const rows = useQueryRows(quotes);
  const filtered = Boolean(filters.status || filters.customerId || filters.ownerId || filters.number);

  const columns: TableColumnsType<Quote> = [
    {
      key: "number",
      title: t("quotes.number"),
      width: 160,
      render: (_, q) => (
        <Link to={`/quotes/${q.id}`} data-testid={`quote-link-${q.number}`} style={{ whiteSpace: "nowrap" }}>
          {q.number}
          {q.currentRevision > 1 ? ` V${q.currentRevision}` : ""}
        </Link>
      ),
    },
    { key: "customer", title: t("quotes.customer"), width: 220, render: (_, q) => <Link to={`/customers/${q.customerId}`}>{q.customerName}</Link> },
    { key: "quoteDate", title: t("quotes.quoteDate"), width: 110, render: (_, q) => dayjs(q.quoteDate).format("L") },
    { key: "validUntil", title: t("quotes.validUntil"), width: 110, render: (_, q) => (q.validUntil ? dayjs(q.validUntil).format("L") : "—") },
    { key: "status", title: t("common.status"), width: 100, render: (_, q) => <QuoteStatusTag status={q.status} /> },
    {
      key: "total",
      title: t("quotes.total"),
      width: 150,
      align: "right",
      render: (_, q) => <span style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>{formatAmount(q.total, q.currency)}</span>,
    },
    { key: "owner", title: t("quotes.owner"), width: 110, render: (_, q) => userName(q.ownerId) ?? "—" },
  ];

  const create = (testId?: string) =>
    can("quote:create") ? (
      <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate("/quotes/new")} data-testid={testId}>
        {t("quotes.create")}
      </Button>
    ) : null;

  return (
    <>
      <PageHeader title={t("quotes.title")} subtitle={t("quotes.subtitle")} extra={create("quote-create")} />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex vertical gap={12} style={{ padding: 16 }}>
          <Segmented<QuoteStatus | "all">
            value={filters.status ?? "all"}
            onChange={(v) => setFilters((f) => ({ ...f, status: v === "all" ? undefined : v }))}
            options={[{ value: "all" as const, label: t("common.all") }, ...QUOTE_STATUSES.map((s) => ({ value: s, label: t(`quotes.statuses.${s}`) }))]}
            style={{ alignSelf: "flex-start", maxWidth: "100%", overflowX: "auto" }}
            data-testid="quote-status-filter"
          />
          <Flex gap={8} wrap="wrap">
            <Input.Search allowClear placeholder={t("quotes.numberSearch")} value={number} onChange={(e) => setNumber(e.target.value)} style={{ flex: "1 1 180px", maxWidth: 240 }} data-testid="quote-search" />
            <div style={{ flex: "1 1 220px", maxWidth: 300 }}>
              <CustomerPicker
                value={filters.customerId}
                known={customerName}
                onChange={(v) => {
                  const hit = rows.find((r) => r.customerId === v);
                  if (v && hit) setCustomerName({ [v]: hit.customerName });
                  setFilters((f) => ({ ...f, customerId: v }));
                }}
              />
            </div>
            <OwnerFilter pool={false} value={filters.ownerId} onChange={(v) => setFilters((f) => ({ ...f, ownerId: v }))} style={{ flex: "1 1 160px", maxWidth: 220 }} />
          </Flex>
        </Flex>
        <InfiniteTable<Quote>
          query={quotes}
          rows={rows}
          testId="quotes"
          resetScrollKey={filters}
          rowKey="id"
          columns={columns}
          size="middle"
          locale={{ emptyText: <Empty description={filtered ? t("quotes.noMatches") : t("quotes.empty")}>{filtered ? null : create()}</Empty> }}
          onRow={(q) => ({ "data-testid": `quote-row-${q.number}` }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
    </>
  );
}
