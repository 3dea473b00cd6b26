import { DeleteOutlined, MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Col, DatePicker, Flex, Form, Input, InputNumber, Popconfirm, Row, Select, Skeleton, Switch, Table, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { BackLink } from "../../app/components/record.js";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { CURRENCIES } from "../customers/format.js";
import {
  deletePriceList,
  groupDigits,
  parseDigits,
  priceListKey,
  priceListsKey,
  replacePriceListItems,
  updatePriceList,
  usePriceList,
  type PriceListDetail,
  type PriceListInput,
} from "./api.js";
import { ProductPicker } from "./ProductPicker.js";

export interface HeaderValues {
  name: string;
  currency: string;
  customerTypes: string[];
  priority: number;
  range?: [Dayjs | null, Dayjs | null] | null;
  active: boolean;
}

export const headerInputOf = (v: HeaderValues): PriceListInput => ({
  name: v.name.trim(),
  currency: v.currency,
  customerTypes: v.customerTypes ?? [],
  priority: v.priority ?? 0,
  validFrom: v.range?.[0] ? v.range[0].format("YYYY-MM-DD") : null,
  validTo: v.range?.[1] ? v.range[1].format("YYYY-MM-DD") : null,
  active: v.active,
});

const headerValuesOf = (l: PriceListDetail): HeaderValues => ({
  name: l.name,
  currency: l.currency,
  customerTypes: l.customerTypes,
  priority: l.priority,
  range: l.validFrom || l.validTo ? [l.validFrom ? dayjs(l.validFrom) : null, l.validTo ? dayjs(l.validTo) : null] : null,
  active: l.active,
});

/** The fields of a price list's header (also in the create dialog). */
export function PriceListHeaderFields({ disabled = false }: { disabled?: boolean }) {
  const { t } = useTranslation();
  const half = { xs: 24, sm: 12 };
  return (
    <Row gutter={16}>
      <Col {...half}>
        <Form.Item name="name" label={t("priceLists.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("priceLists.name") }) }]}>
          <Input maxLength={200} disabled={disabled} data-testid="price-list-name" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="currency" label={t("priceLists.currency")} rules={[{ required: true }]}>
          <Select showSearch disabled={disabled} options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="customerTypes" label={t("priceLists.customerTypes")} extra={t("priceLists.customerTypesHelp")}>
          <Select mode="tags" disabled={disabled} placeholder={t("priceLists.allCustomers")} open={false} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="priority" label={t("priceLists.priority")}>
          <InputNumber min={-1000} max={1000} precision={0} disabled={disabled} style={{ width: "100%" }} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="range" label={t("priceLists.validity")}>
          <DatePicker.RangePicker allowEmpty={[true, true]} disabled={disabled} style={{ width: "100%" }} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="active" label={t("priceLists.active")} valuePropName="checked">
          <Switch disabled={disabled} />
        </Form.Item>
      </Col>
    </Row>
  );
}

interface ItemRow {
  productId: string | null;
  minQuantity: string | null;
  unitPrice: string | null;
}

/** One price list: its header and its prices (a product with several minimum quantities is a tier table). */
export function PriceListPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const manage = can("price_list:manage");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const handleSaveError = useSaveErrorHandler();
  const list = usePriceList(id);
  const [header] = Form.useForm<HeaderValues>();
  const [itemsForm] = Form.useForm<{ items: ItemRow[] }>();

  useEffect(() => {
    if (!list.data) return;
    header.setFieldsValue(headerValuesOf(list.data));
    itemsForm.setFieldsValue({ items: list.data.items.map((i) => ({ productId: i.productId, minQuantity: i.minQuantity, unitPrice: i.unitPrice })) });
  }, [list.data, header, itemsForm]);

  const saved = (l: PriceListDetail) => {
    queryClient.setQueryData(priceListKey(id), l);
    void queryClient.invalidateQueries({ queryKey: [...priceListsKey, "list"] });
  };
  const reload = () => void list.refetch();

  const saveHeader = useMutation({
    mutationFn: (v: HeaderValues) => updatePriceList(id, { ...headerInputOf(v), version: list.data!.version }),
    onSuccess: (l) => {
      saved(l);
      void message.success(t("common.saved"));
    },
    onError: (err) => handleSaveError(err, header, reload),
  });

  const saveItems = useMutation({
    mutationFn: (v: { items: ItemRow[] }) =>
      replacePriceListItems(
        id,
        list.data!.version,
        (v.items ?? []).map((i) => ({ productId: i.productId!, unitPrice: i.unitPrice ?? "0", ...(i.minQuantity ? { minQuantity: i.minQuantity } : {}) })),
      ),
    onSuccess: (l) => {
      saved(l);
      void message.success(t("priceLists.itemsSaved"));
    },
    onError: (err) => handleSaveError(err, itemsForm, reload),
  });

  const remove = useMutation({
    mutationFn: () => deletePriceList(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: priceListsKey });
      void message.success(t("common.deleted"));
      void navigate("/products/price-lists");
    },
    onError: (err) => showError(err),
  });

  if (list.isError) return <QueryError error={list.error} onRetry={reload} />;
  if (!list.data) return <Skeleton active />;
  const l = list.data;
  const names = new Map(l.items.map((i) => [i.productId, `${i.name} (${i.sku})`]));

  return (
    <>
      <BackLink to="/products/price-lists">{t("priceLists.backToList")}</BackLink>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {l.name}
        </Typography.Title>
        {manage ? (
          <Popconfirm title={t("priceLists.deleteConfirm", { name: l.name })} okButtonProps={{ danger: true }} onConfirm={() => remove.mutateAsync().catch(() => undefined)}>
            <Button danger icon={<DeleteOutlined />} loading={remove.isPending}>
              {t("common.delete")}
            </Button>
          </Popconfirm>
        ) : null}
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card title={t("priceLists.header")}>
            <Form form={header} name="price-list" layout="vertical" onFinish={(v) => saveHeader.mutate(v)}>
              <PriceListHeaderFields disabled={!manage} />
              {manage ? (
                <Button type="primary" htmlType="submit" loading={saveHeader.isPending}>
                  {t("common.save")}
                </Button>
              ) : null}
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card title={`${t("priceLists.items")} · ${t("priceLists.itemCount", { count: l.items.length })}`}>
            <Typography.Paragraph type="secondary">{t("priceLists.itemsHelp")}</Typography.Paragraph>
            <Form form={itemsForm} name="price-list-items" onFinish={(v) => saveItems.mutate(v)} disabled={!manage}>
              <Form.List name="items">
                {(fields, { add, remove: removeRow }) => (
                  <>
                    <Table
                      size="small"
                      pagination={false}
                      rowKey="key"
                      dataSource={fields}
                      locale={{ emptyText: t("priceLists.noItems") }}
                      data-testid="price-list-items"
                      columns={[
                        {
                          key: "product",
                          title: t("priceLists.product"),
                          render: (_, f) => (
                            <Form.Item name={[f.name, "productId"]} rules={[{ required: true, message: t("validation.select", { field: t("priceLists.product") }) }]} style={{ margin: 0 }}>
                              <ProductPicker known={names.get(itemsForm.getFieldValue(["items", f.name, "productId"]) as string)} />
                            </Form.Item>
                          ),
                        },
                        {
                          key: "minQuantity",
                          title: t("priceLists.minQuantity"),
                          width: 130,
                          render: (_, f) => (
                            <Form.Item name={[f.name, "minQuantity"]} style={{ margin: 0 }}>
                              <InputNumber<string> stringMode min="0" placeholder="0" style={{ width: "100%" }} />
                            </Form.Item>
                          ),
                        },
                        {
                          key: "unitPrice",
                          title: `${t("priceLists.unitPrice")} (${l.currency})`,
                          width: 170,
                          render: (_, f) => (
                            <Form.Item name={[f.name, "unitPrice"]} rules={[{ required: true, message: t("validation.required", { field: t("priceLists.unitPrice") }) }]} style={{ margin: 0 }}>
                              <InputNumber<string> stringMode min="0" formatter={groupDigits} parser={parseDigits} style={{ width: "100%" }} />
                            </Form.Item>
                          ),
                        },
                        ...(manage
                          ? [
                              {
                                key: "remove",
                                width: 40,
                                render: (_: unknown, f: { name: number }) => <Button type="text" icon={<MinusCircleOutlined />} onClick={() => removeRow(f.name)} aria-label={t("common.remove")} />,
                              },
                            ]
                          : []),
                      ]}
                    />
                    {manage ? (
                      <Flex gap={8} style={{ marginTop: 12 }}>
                        <Button icon={<PlusOutlined />} onClick={() => add({ productId: null, minQuantity: null, unitPrice: null })}>
                          {t("priceLists.addItem")}
                        </Button>
                        <Button type="primary" htmlType="submit" loading={saveItems.isPending}>
                          {t("priceLists.saveItems")}
                        </Button>
                      </Flex>
                    ) : null}
                  </>
                )}
              </Form.List>
            </Form>
          </Card>
        </Col>
      </Row>
    </>
  );
}
