import { LockOutlined, PlusOutlined, StarFilled } from "@ant-design/icons";
import {
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Grid,
  Row,
  Skeleton,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
  type DescriptionsProps,
  type TableColumnsType,
} from "antd";
import dayjs from "dayjs";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ComingSoonPanel } from "../../app/ComingSoonPage.js";
import { QueryError } from "../../app/components/QueryError.js";
import { BackLink, EditButton, MoveToTrashButton, useDeleteRecord } from "../../app/components/record.js";
import { useCan } from "../../app/session.js";
import { ContactFormDrawer } from "../contacts/ContactFormDrawer.js";
import { useActiveCustomFields } from "../custom-fields/api.js";
import { CustomFieldValue } from "../custom-fields/CustomFieldValue.js";
import { MergedNotice, useMergedRedirect } from "../duplicates/merged.js";
import { CustomerOrdersPanel } from "../orders/CustomerOrdersPanel.js";
import { CustomerPaymentsPanel } from "../payments/CustomerPaymentsPanel.js";
import { ClaimButton, ReleaseButton } from "../pool/PoolActions.js";
import { TimelinePanel } from "../timeline/TimelinePanel.js";
import { contactsKey } from "../contacts/api.js";
import { searchKey } from "../search/api.js";
import { useTeams } from "../teams/api.js";
import { ANALYSIS_FIELDS, customersKey, deleteCustomer, useCustomer, type CustomerContactLink, type CustomerDetail } from "./api.js";
import { CustomerFormDrawer } from "./CustomerFormDrawer.js";
import { EmailLinks, PhoneLinks, useUserNames } from "./fields.js";
import { formatMoney } from "./format.js";
import { lunarDateName } from "./lunar.js";
import { RegionText } from "./regions.js";
import { RecordTasksPanel } from "../tasks/RecordTasksPanel.js";
import { GradeTag, StageTag, StatusTag, TagList } from "./tags.js";

const dash = (v: ReactNode) => (v === null || v === undefined || v === "" ? "—" : v);
const multiline = (v: string) => (v ? <span style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{v}</span> : "—");

/** The customer 360° view: who they are, who we talk to, money terms, and (later) everything we did with them. */
export function CustomerPage() {
  const { id = "" } = useParams();
  // A new record is a new page: tabs and open drawers do not carry over.
  return <CustomerView key={id} id={id} />;
}

function CustomerView({ id }: { id: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const userName = useUserNames();
  const customer = useCustomer(id);
  const [editing, setEditing] = useState(false);
  const [addingContact, setAddingContact] = useState(false);
  const [tab, setTab] = useState("profile");
  const merged = useMergedRedirect("/customers", id, customer.data?.id);
  const remove = useDeleteRecord({
    remove: () => deleteCustomer(id),
    invalidate: [customersKey, contactsKey, searchKey],
    done: t("customers.movedToTrash", { count: 1 }),
    to: "/customers",
  });

  if (customer.isError) return <QueryError error={customer.error} onRetry={() => void customer.refetch()} />;
  if (!customer.data) return <Skeleton active />;
  const c = customer.data;

  const back = <BackLink to="/customers">{t("customers.backToList")}</BackLink>;

  const actions = (
    <Flex gap={8} wrap="wrap">
      <ClaimButton customer={c} />
      <ReleaseButton customer={c} />
      {can("customer:update") ? <EditButton onClick={() => setEditing(true)} testId="customer-edit" /> : null}
      {can("customer:delete") ? (
        <MoveToTrashButton title={t("customers.deleteConfirm", { name: c.name })} description={t("customers.deleteHint")} remove={remove} testId="customer-delete" />
      ) : null}
    </Flex>
  );

  const header = (
    <Card style={{ marginBottom: 16 }} data-testid="customer-header">
      <Flex justify="space-between" align="flex-start" gap={16} vertical={!screens.sm}>
        <Flex vertical gap={8} style={{ minWidth: 0 }}>
          <Flex gap={8} align="center" wrap="wrap">
            <Typography.Title level={3} style={{ margin: 0, wordBreak: "break-word" }} data-testid="customer-title">
              {c.name}
            </Typography.Title>
            <GradeTag grade={c.grade} manual={c.gradeManual} />
            <StageTag stage={c.lifecycleStage} />
            {c.status !== "active" ? <StatusTag status={c.status} /> : null}
          </Flex>
          <Flex gap={16} wrap="wrap" style={{ rowGap: 4 }}>
            <Typography.Text type="secondary" copyable={{ text: c.code }}>
              {t("customers.codeLine", { code: c.code })}
            </Typography.Text>
            <Typography.Text type="secondary">{t(`customers.kinds.${c.kind}`)}</Typography.Text>
            <Typography.Text type="secondary" data-testid="customer-owner-line">
              {c.ownerId ? t("customers.ownerLine", { name: userName(c.ownerId) ?? "—" }) : t("customers.publicPool")}
            </Typography.Text>
            {c.cooperationYears !== null ? (
              <Typography.Text type="secondary" data-testid="cooperation-years">
                {t("customers.cooperationYears", { count: c.cooperationYears })}
              </Typography.Text>
            ) : null}
          </Flex>
          {c.tags.length ? <TagList tags={c.tags} /> : null}
        </Flex>
        {actions}
      </Flex>
    </Card>
  );

  const primary = c.contacts.find((x) => x.isPrimary);

  return (
    <>
      {back}
      <MergedNotice show={merged} />
      {header}
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          data-testid="customer-tabs"
          items={[
            { key: "profile", label: t("customers.tabs.profile"), children: <ProfileTab customer={c} primary={primary} /> },
            ...(can("activity:read")
              ? [
                  {
                    key: "timeline",
                    label: <span data-testid="customer-tab-timeline">{t("customers.tabs.timeline")}</span>,
                    children: <TimelinePanel of={{ customerId: c.id }} contacts={c.contacts.map((x) => ({ id: x.contactId, name: x.name }))} currency={c.currency} />,
                  },
                ]
              : []),
            {
              key: "contacts",
              label: `${t("customers.tabs.contacts")} ${c.contacts.length ? c.contacts.length : ""}`.trim(),
              children: <ContactsTab customer={c} onAdd={() => setAddingContact(true)} />,
            },
            { key: "finance", label: t("customers.tabs.finance"), children: <FinanceTab customer={c} /> },
            { key: "addresses", label: t("customers.tabs.addresses"), children: <AddressesTab customer={c} /> },
            { key: "analysis", label: t("customers.tabs.analysis"), children: <AnalysisTab customer={c} /> },
            ...(can("order:read")
              ? [{ key: "orders", label: <span data-testid="customer-tab-orders">{t("customers.tabs.orders")}</span>, children: <CustomerOrdersPanel customerId={c.id} /> }]
              : []),
            ...(can("payment:read") ? [{ key: "payments", label: <span data-testid="customer-tab-payments">{t("payments.customerTab.title")}</span>, children: <CustomerPaymentsPanel customerId={c.id} customerName={c.name} currency={c.currency} /> }] : []),
            ...(can("task:read") ? [{ key: "tasks", label: <span data-testid="customer-tab-tasks">{t("tasks.panel.title")}</span>, children: <RecordTasksPanel objectType="customer" objectId={c.id} bordered={false} /> }] : []),
            ...(["deals", "tickets", "points"] as const).map((k) => ({
              key: k,
              label: t(`customers.tabs.${k}`),
              children: <ComingSoonPanel name={t(`customers.tabs.${k}`)} testId={`customer-${k}-soon`} />,
            })),
          ]}
        />
      </Card>
      <CustomerFormDrawer open={editing} customerId={c.id} onClose={() => setEditing(false)} />
      <ContactFormDrawer
        open={addingContact}
        contactId={null}
        customers={[{ customerId: c.id, name: c.name, isPrimary: c.contacts.length === 0 }]}
        onClose={() => setAddingContact(false)}
      />
    </>
  );
}

const descriptionColumns = { xs: 1, sm: 2, lg: 3 } as const;

function ProfileTab({ customer: c, primary }: { customer: CustomerDetail; primary?: CustomerContactLink }) {
  const { t } = useTranslation();
  const can = useCan();
  const userName = useUserNames();
  const teams = useTeams(can("team:read"));
  const customFields = useActiveCustomFields("customer");
  const team = c.teamId ? teams.data?.find((x) => x.id === c.teamId)?.name : undefined;
  const items: DescriptionsProps["items"] = [
    ...(c.kind === "organization" ? [{ key: "shortName", label: t("customers.shortName"), children: dash(c.shortName) }] : []),
    { key: "type", label: t("customers.type"), children: dash(c.type) },
    { key: "source", label: t("customers.source"), children: dash(c.source) },
    { key: "industry", label: t("customers.industry"), children: dash(c.industry) },
    ...(c.kind === "organization" ? [{ key: "companySize", label: t("customers.companySize"), children: c.companySize ? t(`customers.companySizes.${c.companySize}`) : "—" }] : []),
    { key: "status", label: t("customers.status"), children: <StatusTag status={c.status} /> },
    {
      key: "cooperationSince",
      label: t("customers.cooperationSince"),
      children: c.cooperationSince ? (
        <span>
          {dayjs(c.cooperationSince).format("LL")}
          {c.cooperationYears !== null ? <Typography.Text type="secondary"> · {t("customers.cooperationYears", { count: c.cooperationYears })}</Typography.Text> : null}
        </span>
      ) : (
        "—"
      ),
    },
    { key: "owner", label: t("customers.owner"), children: c.ownerId ? (userName(c.ownerId) ?? "—") : <Tag>{t("customers.publicPool")}</Tag> },
    ...(c.teamId ? [{ key: "team", label: t("customers.team"), children: dash(team) }] : []),
    {
      key: "collaborators",
      label: t("customers.collaborators"),
      children: c.collaboratorIds.length ? c.collaboratorIds.map((id) => userName(id) ?? "…").join("、") : "—",
    },
    {
      key: "primary",
      label: t("customers.primaryContact"),
      children: primary ? <Link to={`/contacts/${primary.contactId}`}>{primary.name}</Link> : "—",
    },
    { key: "phones", label: t("customers.phones"), children: <PhoneLinks phones={c.phones} masked={c.contactDetailsMasked} /> },
    { key: "emails", label: t("customers.emails"), children: <EmailLinks emails={c.emails} masked={c.contactDetailsMasked} /> },
    {
      key: "website",
      label: t("customers.website"),
      children: c.website ? (
        <a href={/^https?:\/\//i.test(c.website) ? c.website : `https://${c.website}`} target="_blank" rel="noopener noreferrer" style={{ wordBreak: "break-all" }}>
          {c.website}
        </a>
      ) : (
        "—"
      ),
    },
    {
      key: "address",
      label: t("customers.address"),
      span: "filled",
      children:
        c.provinceCode || c.address ? (
          <span>
            <RegionText codes={[c.provinceCode, c.cityCode, c.districtCode]} /> {c.address}
          </span>
        ) : (
          "—"
        ),
    },
    { key: "remarks", label: t("customers.remarks"), span: "filled", children: multiline(c.remarks) },
    ...(customFields.data ?? []).map((f) => ({ key: `custom.${f.key}`, label: f.label, children: <CustomFieldValue field={f} value={c.custom?.[f.key]} /> })),
    {
      key: "lastFollowUpAt",
      label: t("pool.lastFollowUp"),
      children: c.lastFollowUpAt ? <Tooltip title={dayjs(c.lastFollowUpAt).format("L LT")}>{dayjs(c.lastFollowUpAt).fromNow()}</Tooltip> : t("pool.never"),
    },
    { key: "createdAt", label: t("common.createdAt"), children: dayjs(c.createdAt).format("L LT") },
    { key: "updatedAt", label: t("common.updatedAt"), children: dayjs(c.updatedAt).format("L LT") },
  ];
  return <Descriptions items={items} column={descriptionColumns} size="small" data-testid="customer-profile" />;
}

function ContactsTab({ customer, onAdd }: { customer: CustomerDetail; onAdd: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const columns: TableColumnsType<CustomerContactLink> = [
    {
      key: "name",
      title: t("contacts.name"),
      render: (_, l) => (
        <Flex vertical>
          <Flex gap={6} align="center">
            <Link to={`/contacts/${l.contactId}`} style={{ fontWeight: 500 }}>
              {l.name}
            </Link>
            {l.isPrimary ? (
              <Tooltip title={t("contacts.primary")}>
                <StarFilled style={{ color: "#faad14" }} aria-label={t("contacts.primary")} />
              </Tooltip>
            ) : null}
          </Flex>
          {l.title ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {l.title}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    { key: "role", title: t("contacts.role"), width: 110, render: (_, l) => <Tag>{t(`contacts.roles.${l.role}`)}</Tag> },
    { key: "phone", title: t("customers.phone"), render: (_, l) => <PhoneLinks phones={l.phones} compact masked={customer.contactDetailsMasked} /> },
    ...(screens.md
      ? [
          {
            key: "email",
            title: t("customers.email"),
            render: (_: unknown, l: CustomerContactLink) => (l.emails[0] ? <EmailLinks emails={l.emails.slice(0, 1)} masked={customer.contactDetailsMasked} /> : "—"),
          },
        ]
      : []),
  ];
  return (
    <Flex vertical gap={12}>
      {can("contact:create") ? (
        <Button icon={<PlusOutlined />} onClick={onAdd} style={{ alignSelf: "flex-start" }} data-testid="customer-add-contact">
          {t("contacts.create")}
        </Button>
      ) : null}
      <Table<CustomerContactLink>
        rowKey="contactId"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={customer.contacts}
        locale={{ emptyText: <Empty description={t("contacts.emptyForCustomer")} /> }}
        data-testid="customer-contacts"
      />
    </Flex>
  );
}

function FinanceTab({ customer: c }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const items: DescriptionsProps["items"] = [
    ...(c.kind === "organization" ? [{ key: "creditCode", label: t("customers.creditCode"), children: c.creditCode ? <Typography.Text copyable>{c.creditCode}</Typography.Text> : "—" }] : []),
    { key: "currency", label: t("customers.currency"), children: c.currency },
    { key: "taxRules", label: t("customers.taxRules"), children: dash(c.taxRules) },
    { key: "creditLimit", label: t("customers.creditLimit"), children: dash(formatMoney(c.creditLimit, c.currency)) },
    { key: "salesLimit", label: t("customers.salesLimit"), children: dash(formatMoney(c.salesLimit, c.currency)) },
    { key: "paymentTerms", label: t("customers.paymentTerms"), children: dash(c.paymentTerms) },
    { key: "discountTerms", label: t("customers.discountTerms"), children: dash(c.discountTerms) },
    { key: "creditRating", label: t("customers.creditRating"), children: dash(c.creditRating) },
    { key: "commissionCode", label: t("customers.commissionCode"), children: dash(c.commissionCode) },
    { key: "invoiceRecipient", label: t("customers.invoiceRecipient"), children: dash(c.invoiceRecipient) },
    { key: "bankName", label: t("customers.bankName"), children: dash(c.bankName) },
    {
      key: "bankAccount",
      label: t("customers.bankAccount"),
      children: c.bankAccount ? (
        c.bankAccountMasked ? (
          <Tooltip title={t("customers.bankAccountMasked")}>
            <span data-testid="bank-account-masked">
              {c.bankAccount} <LockOutlined style={{ color: "#8c8c8c" }} />
            </span>
          </Tooltip>
        ) : (
          <Typography.Text copyable>{c.bankAccount}</Typography.Text>
        )
      ) : (
        "—"
      ),
    },
  ];
  return <Descriptions items={items} column={descriptionColumns} size="small" data-testid="customer-finance" />;
}

function AddressesTab({ customer: c }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  if (!c.addresses.length) return <Empty description={t("customers.noAddresses")} />;
  return (
    <Row gutter={[12, 12]}>
      {c.addresses.map((a) => (
        <Col key={a.id} xs={24} md={12} xl={8}>
          <Card size="small" style={{ height: "100%" }}>
            <Flex gap={6} style={{ marginBottom: 8 }}>
              <Tag color={a.kind === "billing" ? "purple" : "blue"}>{t(`customers.addressKinds.${a.kind}`)}</Tag>
              {a.isDefault ? <Tag color="gold">{t("customers.defaultAddress")}</Tag> : null}
            </Flex>
            <Typography.Paragraph style={{ marginBottom: 4 }}>
              <RegionText codes={[a.provinceCode, a.cityCode, a.districtCode]} /> {a.detail}
            </Typography.Paragraph>
            <Typography.Text type="secondary">
              {[a.recipient, a.phone, a.postcode ? `${t("customers.postcode")} ${a.postcode}` : ""].filter(Boolean).join(" · ") || null}
            </Typography.Text>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function AnalysisTab({ customer: c }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const filled = ANALYSIS_FIELDS.filter((k) => c.analysis[k]);
  return (
    <Flex vertical gap={16}>
      {c.kind === "individual" ? (
        <Descriptions
          title={t("customers.personal")}
          size="small"
          column={descriptionColumns}
          items={[
            { key: "gender", label: t("customers.gender"), children: c.gender ? t(`customers.genders.${c.gender}`) : "—" },
            { key: "birthday", label: t("customers.birthday"), children: c.birthday ? dayjs(c.birthday).format("LL") : "—" },
            { key: "lunar", label: t("customers.lunarBirthday"), children: c.lunarBirthday ? lunarDateName(c.lunarBirthday) : "—" },
            { key: "ageBand", label: t("customers.ageBand"), children: dash(c.ageBand) },
            { key: "incomeBand", label: t("customers.incomeBand"), children: dash(c.incomeBand) },
          ]}
        />
      ) : null}
      {filled.length ? (
        <Descriptions
          title={c.kind === "individual" ? t("customers.analysisProfile") : undefined}
          size="small"
          bordered
          column={1}
          styles={{ label: { width: 140 } }}
          items={filled.map((k) => ({ key: k, label: t(`customers.analysisFields.${k}`), children: multiline(c.analysis[k] ?? "") }))}
          data-testid="customer-analysis"
        />
      ) : (
        <Empty description={t("customers.noAnalysis")} />
      )}
    </Flex>
  );
}
