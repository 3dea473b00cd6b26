import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Flex, Form, InputNumber, Table, Typography, type TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSaveErrorHandler } from "../../app/errors.js";
import { formatAmount } from "../orders/money.js";
import { fractionOf, groupDigits, parseDigits, percentOf } from "../products/api.js";
import { ProductPicker } from "../products/ProductPicker.js";
import { opportunitiesKey, opportunityKey, updateOpportunity, type Opportunity, type OpportunityLine } from "./api.js";

interface LineValues {
  productId: string | null;
  /** The saved line's label, for the picker. */
  label?: string;
  quantity: string | null;
  unitPrice: string | null;
  /** Percent as typed; empty: the customer's discount terms. */
  discount: string | null;
}

/**
 * The products on the deal, picked from the catalogue. Saving replaces all
 * lines and the amount becomes their sum (priced by the server: the
 * customer's price list or the list price when no unit price is typed).
 */
export function ProductsCard({ opportunity: o, editable }: { opportunity: Opportunity; editable: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<{ lines: LineValues[] }>();
  const lines = o.lines ?? [];

  const start = () => {
    form.setFieldsValue({
      lines: lines.map((l) => ({ productId: l.productId, label: `${l.name} (${l.sku})`, quantity: l.quantity.replace(/\.?0+$/, ""), unitPrice: l.unitPrice, discount: percentOf(l.discountRate) })),
    });
    setEditing(true);
  };

  const save = useMutation({
    mutationFn: (v: { lines?: LineValues[] }) =>
      updateOpportunity(o.id, {
        version: o.version,
        lines: (v.lines ?? [])
          .filter((l) => l.productId)
          .map((l) => ({
            productId: l.productId!,
            quantity: l.quantity ?? "1",
            unitPrice: l.unitPrice || undefined,
            discountRate: l.discount === null || l.discount === "" ? undefined : fractionOf(l.discount),
          })),
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(opportunityKey(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: opportunitiesKey });
      void message.success(t("common.saved"));
      setEditing(false);
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: opportunityKey(o.id) })),
  });

  const columns: TableColumnsType<OpportunityLine> = [
    { key: "sku", title: t("opportunities.products.sku"), dataIndex: "sku", width: 110 },
    { key: "name", title: t("opportunities.products.name"), dataIndex: "name" },
    { key: "quantity", title: t("opportunities.products.quantity"), width: 90, align: "right", render: (_, l) => l.quantity.replace(/\.?0+$/, "") },
    { key: "unitPrice", title: t("opportunities.products.unitPrice"), width: 130, align: "right", render: (_, l) => formatAmount(l.unitPrice, o.currency, 4) },
    { key: "discount", title: t("opportunities.products.discount"), width: 90, align: "right", render: (_, l) => `${percentOf(l.discountRate)}%` },
    { key: "amount", title: t("opportunities.products.amount"), width: 140, align: "right", render: (_, l) => <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatAmount(l.amount, o.currency)}</span> },
  ];

  return (
    <Card
      title={t("opportunities.products.title")}
      extra={
        editable && !editing ? (
          <Button size="small" icon={<EditOutlined />} onClick={start} data-testid="opportunity-products-edit">
            {t("opportunities.products.edit")}
          </Button>
        ) : null
      }
      data-testid="opportunity-products"
    >
      {editing ? (
        <Form form={form} name="opportunity-lines" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Typography.Paragraph type="secondary">{t("opportunities.products.help")}</Typography.Paragraph>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((f, i) => (
                  <Flex key={f.key} gap={8} align="flex-start" wrap="wrap">
                    <Form.Item noStyle shouldUpdate>
                      {() => (
                        <Form.Item name={[f.name, "productId"]} rules={[{ required: true, message: t("validation.select", { field: t("opportunities.products.product") }) }]} style={{ flex: "2 1 220px", margin: 0 }}>
                          <ProductPicker known={form.getFieldValue(["lines", f.name, "label"]) as string | undefined} data-testid={`opportunity-line-product-${i}`} />
                        </Form.Item>
                      )}
                    </Form.Item>
                    <Form.Item name={[f.name, "quantity"]} rules={[{ required: true, message: t("validation.required", { field: t("opportunities.products.quantity") }) }]} style={{ flex: "1 1 90px", margin: 0 }}>
                      <InputNumber<string> stringMode min="0" placeholder={t("opportunities.products.quantity")} style={{ width: "100%" }} data-testid={`opportunity-line-quantity-${i}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, "unitPrice"]} style={{ flex: "1 1 120px", margin: 0 }}>
                      <InputNumber<string> stringMode min="0" placeholder={t("opportunities.products.unitPriceAuto")} formatter={groupDigits} parser={parseDigits} style={{ width: "100%" }} />
                    </Form.Item>
                    <Form.Item name={[f.name, "discount"]} style={{ flex: "1 1 90px", margin: 0 }}>
                      <InputNumber<string> stringMode min="0" max="100" suffix="%" placeholder={t("opportunities.products.discountAuto")} style={{ width: "100%" }} />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t("common.remove")} />
                  </Flex>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ productId: null, quantity: "1", unitPrice: null, discount: null })} style={{ alignSelf: "flex-start" }} data-testid="opportunity-line-add">
                  {t("opportunities.products.add")}
                </Button>
              </Flex>
            )}
          </Form.List>
          <Flex justify="flex-end" gap={8} style={{ marginTop: 16 }}>
            <Button onClick={() => setEditing(false)}>{t("common.cancel")}</Button>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="opportunity-products-save">
              {t("common.save")}
            </Button>
          </Flex>
        </Form>
      ) : lines.length ? (
        <>
          <Table<OpportunityLine> size="small" rowKey="lineNo" pagination={false} columns={columns} dataSource={lines} scroll={{ x: 640 }} data-testid="opportunity-line-table" />
          <Flex justify="flex-end" gap={24} style={{ marginTop: 12 }}>
            <Typography.Text strong>{t("opportunities.products.total")}</Typography.Text>
            <Typography.Text strong style={{ fontVariantNumeric: "tabular-nums" }}>
              {formatAmount(o.amount, o.currency)}
            </Typography.Text>
          </Flex>
        </>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("opportunities.products.empty")} />
      )}
    </Card>
  );
}
