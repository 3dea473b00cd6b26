import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Flex, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { useCan } from "../../app/session.js";
import { OwnerFilter } from "../customers/OwnerFilter.js";
import { DocumentFilterBar, StatusFilter } from "../orders/filters.js";
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
          <StatusFilter<QuoteStatus>
            value={filters.status}
            onChange={(status) => setFilters((f) => ({ ...f, status }))}
            statuses={QUOTE_STATUSES}
            allLabel={t("common.all")}
            labelOf={(s) => t(`quotes.statuses.${s}`)}
            testId="quote-status-filter"
          />
          <DocumentFilterBar customerId={filters.customerId} setFilters={setFilters} rows={rows} placeholder={t("quotes.numberSearch")} searchTestId="quote-search">
            <OwnerFilter pool={false} value={filters.ownerId} onChange={(v) => setFilters((f) => ({ ...f, ownerId: v }))} style={{ flex: "1 1 160px", maxWidth: 220 }} />
          </DocumentFilterBar>
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
