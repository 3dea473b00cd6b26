import { PlusOutlined, SettingOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Flex, Input, Segmented, Select, Tabs, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useEffect, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { useCan, useSession } from "../../app/session.js";
import { RegionText } from "../customers/regions.js";
import { useUserNames } from "../users/names.js";
import { useUserOptions } from "../users/api.js";
import { LEAD_STATUSES, useLeads, type Lead, type LeadFilters, type LeadScope, type LeadStatus } from "./api.js";
import { ClaimLeadButton } from "./LeadActions.js";
import { LeadFormDrawer } from "./LeadFormDrawer.js";
import { LeadStatusTag } from "./tags.js";

const SORTABLE = new Set(["name", "createdAt", "updatedAt", "lastFollowUpAt"]);
const SCOPES: LeadScope[] = ["mine", "all", "pool"];

/** Leads (线索): my leads, all I may see, and the lead pool to claim from; status, source and owner filters, search. */
export function LeadsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const navigate = useNavigate();
  const userName = useUserNames();
  const [params, setParams] = useSearchParams();
  const scope: LeadScope = SCOPES.find((s) => s === params.get("scope")) ?? "mine";
  const [filters, setFilters] = useState<Omit<LeadFilters, "scope">>({ sort: "-updatedAt" });
  const [q, setQ] = useState("");
  const [source, setSource] = useState("");
  const [creating, setCreating] = useState(false);
  const [ownerQ, setOwnerQ] = useState("");
  const owners = useUserOptions(ownerQ, scope === "all" && can("user:read"));

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => ((f.q ?? "") === q && (f.source ?? "") === source ? f : { ...f, q, source })), 300);
    return () => clearTimeout(timer);
  }, [q, source]);

  const leads = useLeads({ ...filters, scope, ownerId: scope === "all" ? filters.ownerId : undefined }, me.user.id);
  const rows = useQueryRows(leads);
  const order = (field: string) => (filters.sort === field ? ("ascend" as const) : filters.sort === `-${field}` ? ("descend" as const) : null);
  const sortable = (field: string) => ({ sorter: true, sortOrder: order(field) });
  const filtered = Boolean(filters.status || filters.q || filters.source || filters.ownerId);

  const columns: TableColumnsType<Lead> = [
    {
      key: "name",
      title: t("leads.name"),
      width: 200,
      ...sortable("name"),
      render: (_, l) => (
        <Link to={`/leads/${l.id}`} data-testid={`lead-link-${l.name}`}>
          {l.name}
        </Link>
      ),
    },
    { key: "company", title: t("leads.company"), width: 200, render: (_, l) => l.company || "—" },
    { key: "status", title: t("leads.status"), width: 100, render: (_, l) => <LeadStatusTag status={l.status} /> },
    { key: "phone", title: t("leads.phone"), width: 150, render: (_, l) => l.phone || "—" },
    { key: "source", title: t("leads.source"), width: 120, render: (_, l) => l.source || "—" },
    { key: "region", title: t("leads.province"), width: 120, render: (_, l) => (l.provinceCode ? <RegionText codes={[l.provinceCode, l.cityCode]} /> : "—") },
    { key: "productLine", title: t("leads.productLine"), width: 120, render: (_, l) => l.productLine || "—" },
    { key: "owner", title: t("leads.owner"), width: 110, render: (_, l) => (l.ownerId ? (userName(l.ownerId) ?? "—") : t("leads.pool")) },
    { key: "lastFollowUpAt", title: t("leads.lastFollowUp"), width: 140, ...sortable("lastFollowUpAt"), render: (_, l) => (l.lastFollowUpAt ? dayjs(l.lastFollowUpAt).format("L") : "—") },
    { key: "updatedAt", title: t("common.updatedAt"), width: 140, ...sortable("updatedAt"), render: (_, l) => dayjs(l.updatedAt).format("L LT") },
    ...(scope === "pool" ? [{ key: "claim", title: t("common.actions"), width: 110, render: (_: unknown, l: Lead) => <ClaimLeadButton lead={l} size="small" /> }] : []),
  ];

  const ownerOptions = (owners.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));

  return (
    <>
      <PageHeader
        title={t("leads.title")}
        subtitle={t("leads.subtitle")}
        extra={
          <>
            {can("lead:manage") ? (
              <Button icon={<SettingOutlined />} onClick={() => void navigate("/leads/settings")} data-testid="lead-settings">
                {t("leads.settings.title")}
              </Button>
            ) : null}
            {can("lead:create") ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="lead-create">
                {t("leads.create")}
              </Button>
            ) : null}
          </>
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        <Tabs
          activeKey={scope}
          onChange={(k) => setParams(k === "mine" ? {} : { scope: k }, { replace: true })}
          items={SCOPES.map((s) => ({ key: s, label: <span data-testid={`lead-scope-${s}`}>{t(`leads.scopes.${s}`)}</span> }))}
          tabBarStyle={{ paddingInline: 16, marginBottom: 0 }}
        />
        <Flex vertical gap={12} style={{ padding: 16 }}>
          <Segmented<LeadStatus | "all">
            value={filters.status ?? "all"}
            onChange={(v) => setFilters((f) => ({ ...f, status: v === "all" ? undefined : v }))}
            options={[{ value: "all" as const, label: t("common.all") }, ...LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.statuses.${s}`) }))]}
            style={{ alignSelf: "flex-start", maxWidth: "100%", overflowX: "auto" }}
            data-testid="lead-status-filter"
          />
          <Flex gap={8} wrap="wrap">
            <Input.Search allowClear placeholder={t("leads.searchPlaceholder")} value={q} onChange={(e) => setQ(e.target.value)} style={{ flex: "1 1 220px", maxWidth: 320 }} data-testid="lead-search" />
            <Input allowClear placeholder={t("leads.source")} value={source} onChange={(e) => setSource(e.target.value)} style={{ flex: "1 1 140px", maxWidth: 200 }} data-testid="lead-source-filter" />
            {scope === "all" ? (
              <Select
                allowClear
                value={filters.ownerId}
                onChange={(v: string | undefined) => setFilters((f) => ({ ...f, ownerId: v }))}
                placeholder={t("leads.owner")}
                showSearch={{ filterOption: false, onSearch: setOwnerQ }}
                onBlur={() => setOwnerQ("")}
                loading={owners.isFetching}
                options={ownerOptions}
                style={{ flex: "1 1 160px", maxWidth: 220 }}
                data-testid="lead-owner-filter"
              />
            ) : null}
          </Flex>
        </Flex>
        <InfiniteTable<Lead>
          query={leads}
          rows={rows}
          testId="leads"
          resetScrollKey={[filters, scope]}
          rowKey="id"
          columns={columns}
          size="middle"
          locale={{
            emptyText: (
              <Empty description={filtered ? t("leads.noMatches") : scope === "pool" ? t("leads.poolEmpty") : t("leads.empty")}>
                {!filtered && scope !== "pool" && can("lead:create") ? (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                    {t("leads.create")}
                  </Button>
                ) : null}
              </Empty>
            ),
          }}
          onChange={(_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const field = String(s?.columnKey ?? "");
            setFilters((f) => ({ ...f, sort: !s?.order || !SORTABLE.has(field) ? "-updatedAt" : s.order === "descend" ? `-${field}` : field }));
          }}
          onRow={(l) => ({ "data-testid": `lead-row-${l.name}` }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
      <LeadFormDrawer
        open={creating}
        leadId={null}
        onClose={() => setCreating(false)}
        onCreated={(l) => {
          setCreating(false);
          void navigate(`/leads/${l.id}`);
        }}
      />
    </>
  );
}
