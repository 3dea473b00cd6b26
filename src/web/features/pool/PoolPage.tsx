import { Button, Card, Empty, Flex, Grid, Input, Table, Tabs, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { filter } from "../../app/api.js";
import { POOL, useCustomers, type Customer, type CustomerFilters } from "../customers/api.js";
import { PhoneLinks } from "../customers/fields.js";
import { GradeTag, StageTag } from "../customers/tags.js";
import { usePools, type Pool } from "./api.js";
import { ClaimButton } from "./PoolActions.js";

const ALL = "all";

/** 公海: customers without an owner, contact details masked until claimed; one tab per pool when there are several. */
export function PoolPage() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const pools = usePools();
  const [poolTab, setPoolTab] = useState(ALL);
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");

  useEffect(() => {
    const timer = setTimeout(() => setQ(search), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const filters: CustomerFilters = useMemo(
    () => ({ ownerId: POOL, q, sort: "-updatedAt", extra: poolTab === ALL ? [] : [filter("poolId", "eq", poolTab)!] }),
    [poolTab, q],
  );
  const customers = useCustomers(filters);
  const rows = useMemo(() => customers.data?.pages.flatMap((p) => p.items) ?? [], [customers.data]);
  const poolName = (id: string | null) => pools.data?.find((p: Pool) => p.id === id)?.name;
  const severalPools = (pools.data?.length ?? 0) > 1;

  const nameCell = (c: Customer) => (
    <Flex vertical gap={2} style={{ minWidth: 0 }}>
      <Link to={`/customers/${c.id}`} style={{ fontWeight: 500 }} data-testid={`pool-link-${c.code}`}>
        {c.name}
      </Link>
      <Flex gap={6} wrap="wrap" align="center">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {c.code}
        </Typography.Text>
        {mobile ? <StageTag stage={c.lifecycleStage} /> : null}
        {mobile ? <GradeTag grade={c.grade} /> : null}
      </Flex>
      {mobile ? <PhoneLinks phones={c.phones} compact masked={c.contactDetailsMasked} /> : null}
    </Flex>
  );

  const columns: TableColumnsType<Customer> = mobile
    ? [
        { key: "name", title: t("customers.name"), render: (_, c) => nameCell(c) },
        { key: "claim", width: 84, align: "end", render: (_, c) => <ClaimButton customer={c} size="small" /> },
      ]
    : [
        { key: "name", title: t("customers.name"), render: (_, c) => nameCell(c) },
        { key: "phone", title: t("customers.phone"), render: (_, c) => <PhoneLinks phones={c.phones} compact masked={c.contactDetailsMasked} /> },
        { key: "stage", title: t("customers.lifecycleStage"), render: (_, c) => <StageTag stage={c.lifecycleStage} /> },
        { key: "grade", title: t("customers.grade"), render: (_, c) => (c.grade ? <GradeTag grade={c.grade} /> : "—") },
        { key: "industry", title: t("customers.industry"), dataIndex: "industry", render: (v: string) => v || "—" },
        ...(severalPools ? [{ key: "pool", title: t("pool.pool"), render: (_: unknown, c: Customer) => poolName(c.poolId) ?? "—" }] : []),
        {
          key: "lastFollowUpAt",
          title: t("pool.lastFollowUp"),
          render: (_, c) => (c.lastFollowUpAt ? dayjs(c.lastFollowUpAt).format("L") : <Typography.Text type="secondary">{t("pool.never")}</Typography.Text>),
        },
        { key: "claim", title: t("common.actions"), width: 110, render: (_, c) => <ClaimButton customer={c} size="small" /> },
      ];

  return (
    <>
      <PageHeader title={t("pool.title")} subtitle={t("pool.subtitle")} />
      <Card styles={{ body: { padding: 0 } }}>
        {severalPools ? (
          <Tabs
            activeKey={poolTab}
            onChange={setPoolTab}
            style={{ paddingInline: 16 }}
            items={[{ key: ALL, label: t("pool.allPools") }, ...(pools.data ?? []).map((p) => ({ key: p.id, label: p.name }))]}
            data-testid="pool-tabs"
          />
        ) : null}
        <Flex gap={8} wrap="wrap" style={{ padding: 16 }}>
          <Input.Search
            allowClear
            placeholder={t("customers.searchPlaceholder")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => {
              setSearch(v);
              setQ(v);
            }}
            style={{ flex: "1 1 220px", maxWidth: mobile ? undefined : 320 }}
            data-testid="pool-search"
          />
        </Flex>
        {customers.isError ? (
          <QueryError error={customers.error} onRetry={() => void customers.refetch()} />
        ) : (
          <Table<Customer>
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={customers.isLoading || (customers.isFetching && customers.isPlaceholderData)}
            pagination={false}
            size="middle"
            scroll={{ x: mobile ? undefined : "max-content" }}
            locale={{ emptyText: <Empty description={q ? t("customers.noMatches") : t("pool.empty")} /> }}
            onRow={(c) => ({ "data-testid": `pool-row-${c.code}` }) as HTMLAttributes<HTMLElement>}
            data-testid="pool-table"
          />
        )}
        <Flex justify="center" align="center" gap={12} style={{ padding: 16 }}>
          <Typography.Text type="secondary">{t("common.shownCount", { count: rows.length })}</Typography.Text>
          {customers.hasNextPage ? (
            <Button onClick={() => void customers.fetchNextPage()} loading={customers.isFetchingNextPage} data-testid="pool-load-more">
              {t("common.loadMore")}
            </Button>
          ) : null}
        </Flex>
      </Card>
    </>
  );
}
