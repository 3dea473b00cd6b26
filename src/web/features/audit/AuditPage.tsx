import { ReloadOutlined } from "@ant-design/icons";
import { AutoComplete, Button, Card, DatePicker, Descriptions, Flex, Input, Table, Tag, Tooltip, Typography, type TableColumnsType } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useCan } from "../../app/session.js";
import { translateOr } from "../../i18n/index.js";
import { usePermissionCatalog } from "../roles/api.js";
import { UserSelect } from "../users/pickers.js";
import { useAuditEvents, type AuditEvent, type AuditFilters } from "./api.js";

export function AuditPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [actionText, setActionText] = useState("");
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const events = useAuditEvents(filters);
  const catalog = usePermissionCatalog();
  const rows = useMemo(() => events.data?.pages.flatMap((p) => p.items) ?? [], [events.data]);

  const update = (patch: Partial<AuditFilters>) => setFilters((f) => ({ ...f, ...patch }));

  const columns: TableColumnsType<AuditEvent> = [
    {
      key: "occurredAt",
      title: t("audit.occurredAt"),
      dataIndex: "occurredAt",
      width: 180,
      render: (v: string) => (
        <Tooltip title={dayjs(v).format("YYYY-MM-DD HH:mm:ss.SSS")}>
          <span style={{ whiteSpace: "nowrap" }}>{dayjs(v).format("L LTS")}</span>
        </Tooltip>
      ),
    },
    {
      key: "actor",
      title: t("audit.actor"),
      responsive: ["sm"],
      render: (_, e) => (
        <Flex vertical>
          <span>{e.actorName ?? "—"}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {translateOr(`audit.actorTypes.${e.actorType}`, e.actorType)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: "action",
      title: t("audit.action"),
      dataIndex: "action",
      render: (a: string) => (
        <Flex vertical align="flex-start" gap={2}>
          <span>{translateOr(`audit.actionLabels.${a}`, a)}</span>
          <Tag color="geekblue" style={{ fontSize: 11, marginInlineEnd: 0 }}>
            {a}
          </Tag>
        </Flex>
      ),
    },
    {
      key: "object",
      title: t("audit.object"),
      responsive: ["md"],
      render: (_, e) =>
        e.objectType ? (
          <Flex vertical>
            <span>{translateOr(`roles.objects.${e.objectType}`, e.objectType)}</span>
            {e.objectId ? (
              <Typography.Text type="secondary" copyable={{ text: e.objectId }} style={{ fontSize: 12 }}>
                {e.objectId.slice(0, 8)}
              </Typography.Text>
            ) : null}
          </Flex>
        ) : (
          "—"
        ),
    },
  ];

  const applyRange = (r: [Dayjs | null, Dayjs | null] | null) => {
    setRange(r);
    update({ from: r?.[0]?.startOf("day").toISOString(), to: r?.[1]?.endOf("day").toISOString() });
  };

  return (
    <>
      <PageHeader
        title={t("audit.title")}
        subtitle={t("audit.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void events.refetch()} loading={events.isRefetching}>
            {t("common.refresh")}
          </Button>
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={8} wrap="wrap" style={{ padding: 16 }}>
          {can("user:read") ? (
            <UserSelect
              allowClear
              placeholder={t("audit.allActors")}
              value={filters.actorUserId}
              onChange={(v) => update({ actorUserId: (v as string | undefined) ?? undefined })}
              style={{ flex: "1 1 200px", maxWidth: 280 }}
            />
          ) : null}
          <Input.Search
            allowClear
            placeholder={t("audit.actionContains")}
            value={actionText}
            onChange={(e) => setActionText(e.target.value)}
            onSearch={(v) => update({ action: v })}
            style={{ flex: "1 1 180px", maxWidth: 260 }}
            data-testid="audit-action-filter"
          />
          <AutoComplete
            allowClear
            placeholder={t("audit.objectType")}
            options={(catalog.data ?? []).map((o) => ({ value: o.name, label: `${translateOr(`roles.objects.${o.name}`, o.name)} (${o.name})` }))}
            onSelect={(v: string) => update({ objectType: v })}
            onChange={(v: string) => {
              if (!v) update({ objectType: undefined });
            }}
            onBlur={(e) => update({ objectType: (e.target as HTMLInputElement).value || undefined })}
            style={{ flex: "1 1 160px", maxWidth: 220 }}
            showSearch={{ filterOption: (input, option) => String(option?.value ?? "").includes(input.toLowerCase()) }}
          />
          <DatePicker.RangePicker value={range} onChange={(r) => applyRange(r)} allowEmpty={[true, true]} style={{ flex: "1 1 240px", maxWidth: 300 }} />
        </Flex>
        {events.isError ? (
          <QueryError error={events.error} onRetry={() => void events.refetch()} />
        ) : (
          <Table<AuditEvent>
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={events.isLoading}
            pagination={false}
            size="middle"
            expandable={{ expandedRowRender: (e) => <AuditDetails event={e} />, expandRowByClick: true }}
            data-testid="audit-table"
            onRow={(e) => ({ "data-testid": `audit-row-${e.action}`, "data-object-id": e.objectId ?? "" }) as HTMLAttributes<HTMLElement>}
          />
        )}
        <Flex justify="center" align="center" gap={12} style={{ padding: 16 }}>
          <Typography.Text type="secondary">{t("common.shownCount", { count: rows.length })}</Typography.Text>
          {events.hasNextPage ? (
            <Button onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
              {t("common.loadMore")}
            </Button>
          ) : null}
        </Flex>
      </Card>
    </>
  );
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function AuditDetails({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const changes = Object.entries(event.changes ?? {});
  return (
    <Flex vertical gap={12} style={{ maxWidth: 900, minWidth: 0 }} data-testid="audit-details">
      {changes.length ? (
        <Table
          size="small"
          rowKey="field"
          pagination={false}
          bordered
          tableLayout="fixed"
          dataSource={changes.map(([field, c]) => ({ field, before: show(c?.before), after: show(c?.after) }))}
          columns={[
            { key: "field", title: t("audit.field"), dataIndex: "field", width: "30%", render: (f: string) => <Typography.Text code>{f}</Typography.Text> },
            {
              key: "before",
              title: t("audit.before"),
              dataIndex: "before",
              render: (v: string) => (v ? <Typography.Text delete type="secondary" style={{ wordBreak: "break-word" }}>{v}</Typography.Text> : <Typography.Text type="secondary">{t("audit.empty")}</Typography.Text>),
            },
            {
              key: "after",
              title: t("audit.after"),
              dataIndex: "after",
              render: (v: string) => (v ? <Typography.Text strong style={{ wordBreak: "break-word" }}>{v}</Typography.Text> : <Typography.Text type="secondary">{t("audit.empty")}</Typography.Text>),
            },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">{t("audit.noChanges")}</Typography.Text>
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2 }} bordered styles={{ content: { wordBreak: "break-all" } }}>
        <Descriptions.Item label={t("audit.requestId")}>
          {event.requestId ? <Typography.Text copyable>{event.requestId}</Typography.Text> : "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("audit.ip")}>{event.ip ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("audit.userAgent")} span={2}>
          <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: "break-all" }}>
            {event.userAgent ?? "—"}
          </Typography.Text>
        </Descriptions.Item>
        {event.data && Object.keys(event.data).length ? (
          <Descriptions.Item label={t("audit.data")} span={2}>
            <pre style={{ margin: 0, fontSize: 12, whiteSpace: "pre-wrap", wordBreak: "break-all" }}>{JSON.stringify(event.data, null, 2)}</pre>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </Flex>
  );
}
