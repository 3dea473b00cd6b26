import { PlusOutlined, RestOutlined, StarFilled } from "@ant-design/icons";
import { Button, Card, Empty, Flex, Grid, Input, Select, Tag, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { filter } from "../../app/api.js";
import { useCan } from "../../app/session.js";
import { exportQueryOf } from "../exports/api.js";
import { ExportButton } from "../exports/ExportButton.js";
import { EmailLinks, PhoneLinks, useUserNames } from "../customers/fields.js";
import { OwnerFilter } from "../customers/OwnerFilter.js";
import { TagList } from "../customers/tags.js";
import { useContacts, type Contact, type ContactFilters, type ContactSort } from "./api.js";
import { ContactFormDrawer } from "./ContactFormDrawer.js";

const SORTABLE = new Set(["name", "updatedAt"]);
/** The list's columns, for the export (same filters as useContacts). */
const EXPORT_COLUMNS = ["customers", "title", "phone", "email", "owner", "tags", "updatedAt"];

export function ContactsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const userName = useUserNames();
  const [search, setSearch] = useState("");
  const [filters, setFilters] = useState<ContactFilters>({ sort: "-updatedAt" });
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => ((f.q ?? "") === search ? f : { ...f, q: search })), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const contacts = useContacts(filters);
  const rows = useQueryRows(contacts);
  const knownTags = useMemo(() => [...new Set(rows.flatMap((r) => r.tags))].sort(), [rows]);
  const update = (patch: Partial<ContactFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const order = (field: string) => (filters.sort === field ? ("ascend" as const) : filters.sort === `-${field}` ? ("descend" as const) : null);
  const filtered = Boolean(filters.q || filters.ownerId || filters.tag?.length);

  const customersCell = (c: Contact) =>
    c.customers.length ? (
      <Flex vertical gap={2}>
        {c.customers.map((l) => (
          <span key={l.customerId}>
            <Link to={`/customers/${l.customerId}`}>{l.name}</Link>
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
              {t(`contacts.roles.${l.role}`)}
            </Typography.Text>
            {l.isPrimary ? <StarFilled style={{ color: "#faad14", marginInlineStart: 4 }} aria-label={t("contacts.primary")} /> : null}
          </span>
        ))}
      </Flex>
    ) : (
      "—"
    );

  const columns: TableColumnsType<Contact> = [
    {
      key: "name",
      title: t("contacts.name"),
      // On a phone the name (with the customers) takes what the phone column leaves.
      width: mobile ? undefined : 150,
      sorter: !mobile,
      sortOrder: order("name"),
      render: (_, c) => (
        <Flex vertical gap={2} style={{ minWidth: 0 }}>
          <Flex gap={6} align="center" wrap="wrap">
            <Link to={`/contacts/${c.id}`} style={{ fontWeight: 500 }} data-testid={`contact-link-${c.name}`}>
              {c.name}
            </Link>
            {c.isSelf ? <Tag style={{ marginInlineEnd: 0 }}>{t("contacts.selfTag")}</Tag> : null}
          </Flex>
          {c.title || c.department ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[c.title, c.department].filter(Boolean).join(" · ")}
            </Typography.Text>
          ) : null}
          {mobile ? customersCell(c) : null}
        </Flex>
      ),
    },
    ...(mobile ? [] : [{ key: "customers", title: t("contacts.customers"), width: 170, render: (_: unknown, c: Contact) => customersCell(c) }]),
    { key: "phone", title: t("customers.phone"), width: mobile ? 130 : 136, render: (_, c) => <PhoneLinks phones={c.phones} compact masked={c.contactDetailsMasked} /> },
    ...(mobile
      ? []
      : [
          { key: "email", title: t("customers.email"), width: 160, responsive: ["lg" as const], render: (_: unknown, c: Contact) => <EmailLinks emails={c.emails.slice(0, 1)} masked={c.contactDetailsMasked} /> },
          { key: "owner", title: t("customers.owner"), width: 88, render: (_: unknown, c: Contact) => (c.ownerId ? (userName(c.ownerId) ?? "—") : "—") },
          { key: "tags", title: t("customers.tags"), width: 136, responsive: ["xl" as const], render: (_: unknown, c: Contact) => <TagList tags={c.tags} max={3} /> },
          {
            key: "updatedAt",
            title: t("common.updatedAt"),
            dataIndex: "updatedAt",
            width: 136,
            sorter: true,
            sortOrder: order("updatedAt"),
            responsive: ["lg" as const],
            render: (v: string) => <span style={{ whiteSpace: "nowrap" }}>{dayjs(v).format("L LT")}</span>,
          },
        ]),
  ];

  return (
    <>
      <PageHeader
        title={t("contacts.title")}
        subtitle={t("contacts.subtitle")}
        extra={
          <>
            {can("customer:restore") ? (
              <Button icon={<RestOutlined />} onClick={() => void navigate("/customers/trash?tab=contacts")}>
                {t("trash.title")}
              </Button>
            ) : null}
            <ExportButton
              objectType="contact"
              query={exportQueryOf({
                filter: [
                  filter("ownerId", "eq", filters.ownerId),
                  filter("customerId", "eq", filters.customerId),
                  !filters.tag?.length ? undefined : filters.tag.length === 1 ? filter("tag", "eq", filters.tag[0]) : filter("tag", "in", filters.tag.join("|")),
                ],
                sort: filters.sort,
                q: filters.q,
                columns: EXPORT_COLUMNS,
              })}
            />
            {can("contact:create") ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="contact-create">
                {t("contacts.create")}
              </Button>
            ) : null}
          </>
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={8} wrap="wrap" style={{ padding: 16 }}>
          <Input.Search
            allowClear
            placeholder={t("contacts.searchPlaceholder")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => {
              setSearch(v);
              update({ q: v });
            }}
            style={{ flex: "1 1 220px", maxWidth: mobile ? undefined : 320 }}
            data-testid="contact-search"
          />
          <OwnerFilter pool={false} value={filters.ownerId} onChange={(v) => update({ ownerId: v })} style={{ flex: "1 1 140px", maxWidth: mobile ? undefined : 200 }} />
          <Select
            mode="tags"
            allowClear
            maxTagCount="responsive"
            placeholder={t("customers.tags")}
            value={filters.tag ?? []}
            onChange={(v: string[]) => update({ tag: v })}
            options={knownTags.map((v) => ({ value: v, label: v }))}
            style={{ flex: "1 1 140px", maxWidth: mobile ? undefined : 220 }}
          />
        </Flex>
        <InfiniteTable<Contact>
          query={contacts}
          rows={rows}
          testId="contacts"
          resetScrollKey={filters}
          rowKey="id"
          columns={columns}
          size="middle"
          locale={{ emptyText: <Empty description={filtered ? t("contacts.noMatches") : t("contacts.empty")} /> }}
          onChange={(_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const field = String(s?.columnKey ?? "");
            if (!s?.order || !SORTABLE.has(field)) update({ sort: "-updatedAt" });
            else update({ sort: (s.order === "descend" ? `-${field}` : field) as ContactSort });
          }}
          onRow={(c) => ({ "data-testid": `contact-row-${c.name}` }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
      <ContactFormDrawer open={creating} contactId={null} onClose={() => setCreating(false)} onCreated={(c) => void navigate(`/contacts/${c.id}`)} />
    </>
  );
}
