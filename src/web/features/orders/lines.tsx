import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Form, Input, InputNumber, Table, Typography, type FormRule, type TableColumnsType } from "antd";
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { fractionOf, groupDigits, parseDigits, percentOf } from "../products/api.js";
import { ProductPicker } from "../products/ProductPicker.js";
import type { OrderLine, OrderLineInput } from "./api.js";
import { formatAmount, previewLineAmount, sumAmounts } from "./money.js";

/*
 * The lines of an order or a quote: the server prices both the same way
 * (orders/amounts.ts), so one editor and one read-only table serve both.
 */

/** A line as the form holds it. */
export interface LineValues {
  productId: string | null;
  sku?: string;
  name: string;
  unit: string;
  quantity: string | null;
  unitPrice: string | null;
  /** Percent as typed ("5"); empty: the customer's discount terms. */
  discount: string | null;
  /** Percent as typed ("13"); empty: the product's rate. */
  tax: string | null;
}

const blank = (v: string | null | undefined) => v === null || v === undefined || String(v).trim() === "";

export const EMPTY_LINE: LineValues = { productId: null, name: "", unit: "", quantity: "1", unitPrice: null, discount: null, tax: null };

/** A form line as API input: what is left empty the server fills (price list, discount terms, product's tax rate). */
export const lineInputOf = (l: LineValues): OrderLineInput => ({
  productId: l.productId ?? null,
  ...(l.sku ? { sku: l.sku } : {}),
  ...(blank(l.name) ? {} : { name: l.name.trim() }),
  ...(blank(l.unit) ? {} : { unit: l.unit.trim() }),
  quantity: String(l.quantity ?? ""),
  ...(blank(l.unitPrice) ? {} : { unitPrice: String(l.unitPrice) }),
  ...(blank(l.discount) ? {} : { discountRate: fractionOf(l.discount) }),
  ...(blank(l.tax) ? {} : { taxRate: fractionOf(l.tax) }),
});

/** A saved line back into the form. */
export const lineValuesOf = (l: OrderLine): LineValues => ({
  productId: l.productId,
  sku: l.sku,
  name: l.name,
  unit: l.unit,
  quantity: l.quantity,
  unitPrice: l.unitPrice,
  discount: percentOf(l.discountRate),
  tax: percentOf(l.taxRate),
});

const NUMS = { fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" } as const;

/**
 * The `lines` list of the surrounding form: product, quantity, price, discount,
 * tax, an estimated amount per line and in total. The estimate uses the
 * server's arithmetic but only where every figure is typed; the saved
 * document shows the server's figures. Test ids: `<testId>-line-<field>-<n>`,
 * `<testId>-line-add`, `<testId>-preview-total`.
 */
export function LineItemsEditor({ title, currency, testId }: { title: string; currency: string; testId: string }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<{ lines: LineValues[] }>();
  const lines = Form.useWatch("lines", form) as (LineValues | undefined)[] | undefined;

  const preview = useMemo(() => {
    const amounts = (lines ?? []).map((l) => (l ? previewLineAmount({ quantity: l.quantity, unitPrice: l.unitPrice, discountRate: blank(l.discount) ? null : fractionOf(l.discount), taxRate: fractionOf(l.tax) }) : null));
    return { amounts, total: amounts.length && amounts.every((a) => a !== null) ? sumAmounts(amounts as string[]) : null };
  }, [lines]);

  const cell = (name: number, field: keyof LineValues, input: ReactNode, rules?: FormRule[]) => (
    <Form.Item name={[name, field]} rules={rules} style={{ margin: 0 }}>
      {input}
    </Form.Item>
  );
  const knownLabel = (l: LineValues | undefined) => (l?.name ? `${l.name}${l.sku ? ` (${l.sku})` : ""}` : undefined);

  return (
    <Card title={title} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t("orders.lines.unitPriceHelp")}</Typography.Paragraph>
      <Form.List name="lines">
        {(fields, { add, remove }) => (
          <>
            <Table
              size="small"
              pagination={false}
              rowKey="key"
              dataSource={fields}
              scroll={{ x: 960 }}
              data-testid={`${testId}-lines`}
              columns={[
                {
                  key: "product",
                  title: t("orders.lines.product"),
                  width: 220,
                  render: (_, f) =>
                    cell(
                      f.name,
                      "productId",
                      <ProductPicker
                        known={knownLabel(lines?.[f.name])}
                        onPick={(p) => {
                          if (!p) return;
                          form.setFieldValue(["lines", f.name, "name"], p.name);
                          form.setFieldValue(["lines", f.name, "unit"], p.unit);
                          form.setFieldValue(["lines", f.name, "sku"], undefined);
                          form.setFieldValue(["lines", f.name, "tax"], percentOf(p.taxRate));
                        }}
                        data-testid={`${testId}-line-product-${f.name}`}
                      />,
                    ),
                },
                { key: "name", title: t("orders.lines.name"), width: 160, render: (_, f) => cell(f.name, "name", <Input maxLength={200} data-testid={`${testId}-line-name-${f.name}`} />) },
                { key: "unit", title: t("orders.lines.unit"), width: 70, render: (_, f) => cell(f.name, "unit", <Input maxLength={20} />) },
                {
                  key: "quantity",
                  title: t("orders.lines.quantity"),
                  width: 100,
                  render: (_, f) => cell(f.name, "quantity", <InputNumber<string> stringMode min="0" style={{ width: "100%" }} data-testid={`${testId}-line-quantity-${f.name}`} />, [
                      { required: true, message: t("validation.required", { field: t("orders.lines.quantity") }) },
                    ]),
                },
                {
                  key: "unitPrice",
                  title: t("orders.lines.unitPrice"),
                  width: 140,
                  render: (_, f) =>
                    cell(
                      f.name,
                      "unitPrice",
                      <InputNumber<string>
                        stringMode
                        min="0"
                        formatter={groupDigits}
                        parser={parseDigits}
                        placeholder={t("orders.lines.unitPriceAuto")}
                        style={{ width: "100%" }}
                        data-testid={`${testId}-line-price-${f.name}`}
                      />,
                    ),
                },
                {
                  key: "discount",
                  title: t("orders.lines.discount"),
                  width: 100,
                  render: (_, f) =>
                    cell(f.name, "discount", <InputNumber<string> stringMode min="0" max="100" placeholder={t("orders.lines.discountAuto")} style={{ width: "100%" }} data-testid={`${testId}-line-discount-${f.name}`} />),
                },
                {
                  key: "tax",
                  title: t("orders.lines.tax"),
                  width: 90,
                  render: (_, f) => cell(f.name, "tax", <InputNumber<string> stringMode min="0" max="100" style={{ width: "100%" }} data-testid={`${testId}-line-tax-${f.name}`} />),
                },
                {
                  key: "amount",
                  title: t("orders.lines.amount"),
                  width: 130,
                  align: "right",
                  render: (_, f) => {
                    const a = preview.amounts[f.name];
                    return a ? (
                      <span style={NUMS}>{formatAmount(a, currency)}</span>
                    ) : (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t("orders.lines.amountAfterSave")}
                      </Typography.Text>
                    );
                  },
                },
                {
                  key: "remove",
                  width: 40,
                  render: (_, f) => <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length <= 1} onClick={() => remove(f.name)} aria-label={t("common.remove")} />,
                },
              ]}
            />
            <Flex justify="space-between" align="center" wrap="wrap" gap={8} style={{ marginTop: 12 }}>
              <Button icon={<PlusOutlined />} onClick={() => add(EMPTY_LINE)} data-testid={`${testId}-line-add`}>
                {t("orders.lines.add")}
              </Button>
              <Typography.Text type="secondary" data-testid={`${testId}-preview-total`}>
                {preview.total !== null ? t("orders.lines.previewTotal", { total: formatAmount(preview.total, currency) }) : t("orders.lines.pricedOnSave")}
              </Typography.Text>
            </Flex>
          </>
        )}
      </Form.List>
    </Card>
  );
}

/** What a priced order or quote (revision) shows of its lines. */
export interface PricedLines {
  currency: string;
  lines?: OrderLine[];
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
}

/**
 * A saved document's lines and the server's totals, read-only. Test ids:
 * `<testId>-line-table`, `<testId>-totals`, `<testId>-total`; `children`
 * go below the total (an order's paid amount).
 */
export function LineItemsCard({ title, doc, testId, children }: { title: string; doc: PricedLines; testId: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<OrderLine> = [
    { key: "lineNo", title: "#", dataIndex: "lineNo", width: 40 },
    { key: "sku", title: t("orders.lines.sku"), dataIndex: "sku", width: 110, render: (v: string) => v || "—" },
    { key: "name", title: t("orders.lines.name"), dataIndex: "name" },
    { key: "quantity", title: t("orders.lines.quantity"), width: 100, align: "right", render: (_, l) => `${l.quantity.replace(/\.?0+$/, "")} ${l.unit}` },
    { key: "unitPrice", title: t("orders.lines.unitPrice"), width: 130, align: "right", render: (_, l) => formatAmount(l.unitPrice, doc.currency, 4) },
    { key: "discount", title: t("orders.lines.discount"), width: 90, align: "right", render: (_, l) => `${percentOf(l.discountRate)}%` },
    { key: "tax", title: t("orders.lines.tax"), width: 80, align: "right", render: (_, l) => `${percentOf(l.taxRate)}%` },
    { key: "amount", title: t("orders.lines.amount"), width: 140, align: "right", render: (_, l) => <span style={NUMS}>{formatAmount(l.amount, doc.currency)}</span> },
  ];
  const totals = [
    { key: "subtotal", label: t("orders.totals.subtotal"), value: doc.subtotal },
    { key: "discount", label: t("orders.totals.discount"), value: doc.discountTotal === "0.00" ? null : `-${doc.discountTotal}` },
    { key: "tax", label: t("orders.totals.tax"), value: doc.taxTotal },
  ].filter((x) => x.value !== null);

  return (
    <Card title={title} style={{ marginBottom: 16 }}>
      <Table<OrderLine> size="small" rowKey="lineNo" pagination={false} columns={columns} dataSource={doc.lines ?? []} scroll={{ x: 720 }} data-testid={`${testId}-line-table`} />
      <Flex vertical align="flex-end" gap={4} style={{ marginTop: 12 }} data-testid={`${testId}-totals`}>
        {totals.map((x) => (
          <Flex key={x.key} gap={24} justify="flex-end" style={{ minWidth: 280 }}>
            <Typography.Text type="secondary">{x.label}</Typography.Text>
            <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatAmount(x.value, doc.currency)}</span>
          </Flex>
        ))}
        <Flex gap={24} justify="flex-end" style={{ minWidth: 280 }}>
          <Typography.Text strong>{t("orders.totals.total")}</Typography.Text>
          <Typography.Text strong style={{ fontSize: 18, fontVariantNumeric: "tabular-nums" }} data-testid={`${testId}-total`}>
            {formatAmount(doc.total, doc.currency)}
          </Typography.Text>
        </Flex>
        {children}
      </Flex>
    </Card>
  );
}
