import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Form, Modal, Tag, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { BackLink } from "../../app/components/record.js";
import { useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { createPriceList, priceListsKey, usePriceLists, usePricingSettings, type PriceList } from "./api.js";
import { PriceListHeaderFields, headerInputOf, type HeaderValues } from "./PriceListPage.js";

export const validityText = (l: Pick<PriceList, "validFrom" | "validTo">, always: string) =>
  !l.validFrom && !l.validTo ? always : `${l.validFrom ? dayjs(l.validFrom).format("L") : "…"} – ${l.validTo ? dayjs(l.validTo).format("L") : "…"}`;

/** Price lists by priority; a new one is made here and filled on its own page. */
export function PriceListsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const lists = usePriceLists();
  const rows = useQueryRows(lists);
  const pricing = usePricingSettings();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<HeaderValues>();

  const create = useMutation({
    mutationFn: (v: HeaderValues) => createPriceList(headerInputOf(v) as Parameters<typeof createPriceList>[0]),
    onSuccess: (l) => {
      void queryClient.invalidateQueries({ queryKey: priceListsKey });
      void message.success(t("common.created"));
      setCreating(false);
      void navigate(`/products/price-lists/${l.id}`);
    },
    onError: (err) => showError(err, form),
  });

  const columns: TableColumnsType<PriceList> = [
    { key: "name", title: t("priceLists.name"), width: 200, render: (_, l) => <Link to={`/products/price-lists/${l.id}`}>{l.name}</Link> },
    { key: "currency", title: t("priceLists.currency"), dataIndex: "currency", width: 80 },
    {
      key: "customerTypes",
      title: t("priceLists.customerTypes"),
      width: 200,
      render: (_, l) => (l.customerTypes.length ? l.customerTypes.map((c) => <Tag key={c}>{c}</Tag>) : t("priceLists.allCustomers")),
    },
    { key: "priority", title: t("priceLists.priority"), dataIndex: "priority", width: 80, align: "right" },
    { key: "validity", title: t("priceLists.validity"), width: 200, render: (_, l) => validityText(l, t("priceLists.always")) },
    { key: "active", title: t("products.status"), width: 90, render: (_, l) => (l.active ? <Tag color="success">{t("priceLists.active")}</Tag> : <Tag>{t("priceLists.inactive")}</Tag>) },
  ];

  return (
    <>
      <BackLink to="/products">{t("priceLists.backToProducts")}</BackLink>
      <PageHeader
        title={t("priceLists.title")}
        subtitle={t("priceLists.subtitle")}
        extra={
          can("price_list:manage") ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                form.resetFields();
                form.setFieldsValue({ currency: pricing.data?.baseCurrency ?? "CNY", priority: 0, active: true, customerTypes: [] });
                setCreating(true);
              }}
              data-testid="price-list-create"
            >
              {t("priceLists.create")}
            </Button>
          ) : null
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        <InfiniteTable<PriceList>
          query={lists}
          rows={rows}
          testId="price-lists"
          rowKey="id"
          columns={columns}
          size="middle"
          locale={{ emptyText: <Empty description={t("priceLists.empty")} /> }}
          onRow={(l) => ({ "data-testid": `price-list-row-${l.name}` }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
      <Modal open={creating} title={t("priceLists.createTitle")} onCancel={() => setCreating(false)} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden forceRender width={640}>
        <Form form={form} name="price-list-new" layout="vertical" onFinish={(v) => create.mutate(v)}>
          <PriceListHeaderFields />
        </Form>
      </Modal>
    </>
  );
}
