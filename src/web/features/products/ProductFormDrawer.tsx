import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, AutoComplete, Col, Form, Input, InputNumber, Row, Select, Skeleton, Switch, TreeSelect } from "antd";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { FormDrawer } from "../../app/components/FormDrawer.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { CURRENCIES } from "../customers/format.js";
import { createProduct, fractionOf, groupDigits, parseDigits, percentOf, productKey, productsKey, updateProduct, useCategoryTree, useProduct, usePricingSettings, type CategoryNode, type Product, type ProductInput } from "./api.js";

interface Values {
  sku: string;
  name: string;
  categoryId: string | null;
  unit: string;
  currency: string;
  listPrice: string | null;
  /** Percent, as typed ("13"). */
  taxPercent: string | null;
  productLine: string;
  description: string;
  active: boolean;
}

const UNITS = ["件", "台", "套", "个", "箱", "kg", "m", "小时", "天", "年"];

export interface CategoryOption {
  value: string;
  title: string;
  children: CategoryOption[];
}

export const categoryTreeData = (nodes: CategoryNode[], exclude?: string): CategoryOption[] =>
  nodes.filter((n) => n.id !== exclude).map((n) => ({ value: n.id, title: n.name, children: categoryTreeData(n.children, exclude) }));

const valuesOf = (p: Product): Values => ({
  sku: p.sku,
  name: p.name,
  categoryId: p.categoryId,
  unit: p.unit,
  currency: p.currency,
  listPrice: p.listPrice,
  taxPercent: percentOf(p.taxRate),
  productLine: p.productLine,
  description: p.description,
  active: p.active,
});

const inputOf = (v: Values): ProductInput => ({
  sku: v.sku.trim(),
  name: v.name.trim(),
  categoryId: v.categoryId ?? null,
  unit: (v.unit ?? "").trim(),
  currency: v.currency,
  listPrice: v.listPrice ?? "0",
  taxRate: fractionOf(v.taxPercent),
  productLine: (v.productLine ?? "").trim(),
  description: (v.description ?? "").trim(),
  active: v.active,
});

/** Creates (productId null) or edits a product; archiving is the "active" switch. */
export function ProductFormDrawer({ open, productId, categoryId, onClose }: { open: boolean; productId: string | null; categoryId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const editing = productId !== null;
  // The server refuses a changed price without price_list:manage (products.ts); a rep still prices a product they add.
  const can = useCan();
  const priceLocked = editing && !can("price_list:manage");
  const product = useProduct(open && editing ? productId : null, { fresh: true });
  const tree = useCategoryTree(open);
  const pricing = usePricingSettings(open);
  const treeData = useMemo(() => categoryTreeData(tree.data ?? []), [tree.data]);
  const base = pricing.data?.baseCurrency ?? "CNY";

  useEffect(() => {
    if (!open || editing) return;
    form.resetFields();
    form.setFieldsValue({ active: true, currency: base, taxPercent: "13", categoryId: categoryId ?? null, listPrice: null, unit: "", productLine: "", description: "" });
  }, [open, editing, form, base, categoryId]);

  useEffect(() => {
    if (open && product.data) form.setFieldsValue(valuesOf(product.data));
  }, [open, product.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const input = inputOf(v);
      if (!product.data) return createProduct(input);
      const before = inputOf(valuesOf(product.data));
      const changed = Object.fromEntries(Object.entries(input).filter(([k, val]) => JSON.stringify(val) !== JSON.stringify(before[k as keyof ProductInput])));
      return updateProduct(product.data.id, { ...changed, version: product.data.version });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: productsKey });
      void message.success(editing ? t("common.saved") : t("products.createdMsg", { name: saved.name }));
      onClose();
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: productKey(productId ?? "") })),
  });

  const half = { xs: 24, sm: 12 };
  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      title={editing ? t("products.editTitle") : t("products.createTitle")}
      form={form}
      saving={save.isPending}
      submitDisabled={editing && !product.data}
      submitLabel={editing ? t("common.save") : t("common.create")}
      testId="product"
    >
      {product.isError ? <QueryError error={product.error} onRetry={() => void product.refetch()} /> : null}
      {editing && product.isPending ? <Skeleton active /> : null}
      <Form<Values> form={form} name="product" layout="vertical" onFinish={(v) => save.mutate(v)} style={{ display: editing && !product.data ? "none" : undefined }}>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              name="sku"
              label={t("products.sku")}
              extra={t("products.skuHelp")}
              rules={[
                { required: true, whitespace: true, message: t("validation.required", { field: t("products.sku") }) },
                { pattern: /^\S+$/, message: t("products.skuHelp") },
              ]}
            >
              <Input maxLength={64} data-testid="product-sku" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="name" label={t("products.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("products.name") }) }]}>
              <Input maxLength={200} data-testid="product-name" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="categoryId" label={t("products.category")}>
              <TreeSelect allowClear treeDefaultExpandAll treeData={treeData} placeholder={t("products.noCategory")} showSearch treeNodeFilterProp="title" data-testid="product-category" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="unit" label={t("products.unit")}>
              <AutoComplete options={UNITS.map((u) => ({ value: u }))} placeholder={t("products.unitPlaceholder")} maxLength={20} data-testid="product-unit" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="currency" label={t("products.currency")} rules={[{ required: true }]}>
              <Select disabled={priceLocked} showSearch options={[...new Set([base, ...CURRENCIES])].map((c) => ({ value: c, label: c }))} data-testid="product-currency" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="listPrice" label={t("products.listPrice")} extra={priceLocked ? t("products.priceLocked") : undefined}>
              <InputNumber<string>
                disabled={priceLocked}
                stringMode
                min="0"
                max="99999999999999"
                style={{ width: "100%" }}
                formatter={groupDigits}
                parser={parseDigits}
                data-testid="product-list-price"
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="taxPercent" label={t("products.taxRatePercent")}>
              <InputNumber<string> stringMode min="0" max="100" precision={2} suffix="%" style={{ width: "100%" }} data-testid="product-tax" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="productLine" label={t("products.productLine")}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="description" label={t("products.description")}>
              <Input.TextArea rows={4} maxLength={5000} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="active" label={t("products.active")} valuePropName="checked" extra={t("products.activeHelp")}>
              <Switch data-testid="product-active" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormDrawer>
  );
}
