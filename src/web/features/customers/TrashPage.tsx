import { UndoOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Flex, Tabs, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { InfiniteTable, useQueryRows, type InfiniteListQuery } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { BackLink } from "../../app/components/record.js";
import { useShowError } from "../../app/errors.js";
import { contactsKey, restoreContact, useContactTrash, type Contact } from "../contacts/api.js";
import { searchKey } from "../search/api.js";
import { customersKey, restoreCustomer, useCustomerTrash, type Customer } from "./api.js";

/** 回收站: deleted customers and contacts, restorable by roles with customer:restore. */
export function TrashPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "contacts" ? "contacts" : "customers";
  return (
    <>
      <BackLink to={tab === "contacts" ? "/contacts" : "/customers"}>{tab === "contacts" ? t("contacts.backToList") : t("customers.backToList")}</BackLink>
      <PageHeader title={t("trash.title")} subtitle={t("trash.subtitle")} />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === "contacts" ? { tab: k } : {}, { replace: true })}
          items={[
            { key: "customers", label: t("nav.customers"), children: <CustomerTrash /> },
            { key: "contacts", label: t("nav.contacts"), children: <ContactTrash /> },
          ]}
        />
      </Card>
    </>
  );
}

function useRestore<T extends { name: string }>(fn: (id: string) => Promise<T>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  return useMutation({
    mutationFn: fn,
    onSuccess: (item) => {
      void queryClient.invalidateQueries({ queryKey: customersKey });
      void queryClient.invalidateQueries({ queryKey: contactsKey });
      void queryClient.invalidateQueries({ queryKey: searchKey });
      void message.success(t("trash.restored", { name: item.name }));
    },
    onError: (err) => showError(err),
  });
}

function TrashTable<T extends { id: string; name: string; deletedAt: string | null }>({
  query,
  columns,
  restore,
  testId,
}: {
  query: InfiniteListQuery<T>;
  columns: TableColumnsType<T>;
  restore: { mutate: (id: string) => void; isPending: boolean; variables: string | undefined };
  testId: string;
}) {
  const { t } = useTranslation();
  const rows = useQueryRows(query);
  return (
    <InfiniteTable<T>
      query={query}
      rows={rows}
      testId={testId}
      rowKey="id"
      size="middle"
      locale={{ emptyText: <Empty description={t("trash.empty")} /> }}
      columns={[
        ...columns,
        {
          key: "deletedAt",
          title: t("trash.deletedAt"),
          dataIndex: "deletedAt",
          width: 170,
          responsive: ["sm"],
          render: (v: string | null) => (v ? <span style={{ whiteSpace: "nowrap" }}>{dayjs(v).format("L LT")}</span> : "—"),
        },
        {
          key: "actions",
          title: t("common.actions"),
          align: "right",
          width: 100,
          render: (_, item) => (
            <Button
              size="small"
              icon={<UndoOutlined />}
              onClick={() => restore.mutate(item.id)}
              loading={restore.isPending && restore.variables === item.id}
              data-testid={`restore-${item.name}`}
            >
              {t("trash.restore")}
            </Button>
          ),
        },
      ]}
    />
  );
}

function CustomerTrash() {
  const { t } = useTranslation();
  const query = useCustomerTrash();
  const restore = useRestore(restoreCustomer);
  return (
    <TrashTable<Customer>
      query={query}
      restore={restore}
      testId="customer-trash"
      columns={[
        {
          key: "name",
          title: t("customers.name"),
          render: (_, c) => (
            <Flex vertical>
              <Typography.Text strong>{c.name}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.code}
              </Typography.Text>
            </Flex>
          ),
        },
      ]}
    />
  );
}

function ContactTrash() {
  const { t } = useTranslation();
  const query = useContactTrash();
  const restore = useRestore(restoreContact);
  return (
    <TrashTable<Contact>
      query={query}
      restore={restore}
      testId="contact-trash"
      columns={[
        {
          key: "name",
          title: t("contacts.name"),
          render: (_, c) => (
            <Flex vertical>
              <Typography.Text strong>{c.name}</Typography.Text>
              {c.customers.length ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.customers.map((l) => l.name).join("、")}
                </Typography.Text>
              ) : null}
            </Flex>
          ),
        },
      ]}
    />
  );
}
