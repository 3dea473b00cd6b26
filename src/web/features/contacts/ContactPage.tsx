import { StarFilled } from "@ant-design/icons";
import { Alert, Card, Descriptions, Empty, Flex, Grid, Skeleton, Table, Tag, Typography, type DescriptionsProps } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { BackLink, EditButton, MoveToTrashButton, useDeleteRecord } from "../../app/components/record.js";
import { useCan } from "../../app/session.js";
import { useActiveCustomFields } from "../custom-fields/api.js";
import { CustomFieldValue } from "../custom-fields/CustomFieldValue.js";
import { customersKey } from "../customers/api.js";
import { MergedNotice, useMergedRedirect } from "../duplicates/merged.js";
import { EmailLinks, PhoneLinks, useUserNames } from "../customers/fields.js";
import { TagList } from "../customers/tags.js";
import { searchKey } from "../search/api.js";
import { TimelinePanel } from "../timeline/TimelinePanel.js";
import { contactsKey, deleteContact, useContact, type ContactCustomerLink } from "./api.js";
import { ContactFormDrawer } from "./ContactFormDrawer.js";

export function ContactPage() {
  const { id = "" } = useParams();
  // A new record is a new page: tabs and open drawers do not carry over.
  return <ContactView key={id} id={id} />;
}

function ContactView({ id }: { id: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const userName = useUserNames();
  const contact = useContact(id);
  const customFields = useActiveCustomFields("contact");
  const [editing, setEditing] = useState(false);
  const merged = useMergedRedirect("/contacts", id, contact.data?.id);
  const remove = useDeleteRecord({
    remove: () => deleteContact(id),
    invalidate: [contactsKey, customersKey, searchKey],
    done: t("customers.movedToTrash", { count: 1 }),
    to: "/contacts",
  });

  if (contact.isError) return <QueryError error={contact.error} onRetry={() => void contact.refetch()} />;
  if (!contact.data) return <Skeleton active />;
  const c = contact.data;
  const selfCustomer = c.isSelf ? c.customers[0] : undefined;

  const items: DescriptionsProps["items"] = [
    { key: "gender", label: t("customers.gender"), children: c.gender ? t(`customers.genders.${c.gender}`) : "—" },
    { key: "department", label: t("contacts.department"), children: c.department || "—" },
    { key: "birthday", label: t("customers.birthday"), children: c.birthday ? dayjs(c.birthday).format("LL") : "—" },
    { key: "phones", label: t("customers.phones"), children: <PhoneLinks phones={c.phones} masked={c.contactDetailsMasked} /> },
    { key: "emails", label: t("customers.emails"), children: <EmailLinks emails={c.emails} masked={c.contactDetailsMasked} /> },
    { key: "wechat", label: t("contacts.wechat"), children: c.wechat ? <Typography.Text copyable>{c.wechat}</Typography.Text> : "—" },
    { key: "owner", label: t("customers.owner"), children: c.ownerId ? (userName(c.ownerId) ?? "—") : "—" },
    { key: "tags", label: t("customers.tags"), children: <TagList tags={c.tags} /> },
    { key: "updatedAt", label: t("common.updatedAt"), children: dayjs(c.updatedAt).format("L LT") },
    ...(customFields.data ?? []).map((f) => ({ key: `custom.${f.key}`, label: f.label, children: <CustomFieldValue field={f} value={c.custom?.[f.key]} /> })),
    { key: "notes", label: t("contacts.notes"), span: "filled", children: c.notes ? <span style={{ whiteSpace: "pre-wrap" }}>{c.notes}</span> : "—" },
  ];

  return (
    <>
      <BackLink to="/contacts">{t("contacts.backToList")}</BackLink>
      <MergedNotice show={merged} />
      <Card style={{ marginBottom: 16 }}>
        <Flex justify="space-between" align="flex-start" gap={16} vertical={!screens.sm}>
          <Flex vertical gap={4} style={{ minWidth: 0 }}>
            <Flex gap={8} align="center" wrap="wrap">
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="contact-title-heading">
                {c.name}
              </Typography.Title>
              {c.isSelf ? <Tag>{t("contacts.selfTag")}</Tag> : null}
            </Flex>
            {c.title ? <Typography.Text type="secondary">{c.title}</Typography.Text> : null}
          </Flex>
          {/* An individual customer's own contact is edited through the customer. */}
          {selfCustomer ? null : (
            <Flex gap={8} wrap="wrap">
              {can("contact:update") ? <EditButton onClick={() => setEditing(true)} testId="contact-edit" /> : null}
              {can("contact:delete") ? <MoveToTrashButton title={t("contacts.deleteConfirm", { name: c.name })} description={t("contacts.deleteHint")} remove={remove} /> : null}
            </Flex>
          )}
        </Flex>
        {selfCustomer ? (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 16 }}
            title={t("contacts.selfHint")}
            action={
              <Link to={`/customers/${selfCustomer.customerId}`} data-testid="self-contact-customer">
                {t("contacts.openCustomer")}
              </Link>
            }
          />
        ) : null}
      </Card>
      <Card title={t("contacts.details")} size="small" style={{ marginBottom: 16 }}>
        <Descriptions items={items} column={{ xs: 1, sm: 2, lg: 3 }} size="small" />
      </Card>
      <Card title={t("contacts.customers")} size="small">
        <Table<ContactCustomerLink>
          rowKey="customerId"
          size="small"
          pagination={false}
          dataSource={c.customers}
          locale={{ emptyText: <Empty description={t("contacts.noCustomers")} /> }}
          columns={[
            {
              key: "name",
              title: t("customers.name"),
              render: (_, l) => (
                <Flex gap={6} align="center" wrap="wrap">
                  <Link to={`/customers/${l.customerId}`}>{l.name}</Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {l.code}
                  </Typography.Text>
                </Flex>
              ),
            },
            { key: "role", title: t("contacts.role"), render: (_, l) => <Tag>{t(`contacts.roles.${l.role}`)}</Tag> },
            {
              key: "primary",
              title: t("contacts.primary"),
              align: "center",
              width: 90,
              render: (_, l) => (l.isPrimary ? <StarFilled style={{ color: "#faad14" }} aria-label={t("contacts.primary")} /> : null),
            },
          ]}
        />
      </Card>
      {can("activity:read") ? (
        <Card title={t("customers.tabs.timeline")} size="small" style={{ marginTop: 16 }} data-testid="contact-timeline">
          <TimelinePanel of={{ contactId: c.id }} contacts={[{ id: c.id, name: c.name }]} />
        </Card>
      ) : null}
      <ContactFormDrawer open={editing} contactId={c.id} onClose={() => setEditing(false)} />
    </>
  );
}
