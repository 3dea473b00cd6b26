import { PlusOutlined, TagsOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Flex, Input, Row, Segmented, Tag, Typography, type TableColumnsType } from "antd";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { InfiniteTable, useQueryRows } from "../../app/components/InfiniteTable.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { useCan } from "../../app/session.js";
import { formatAmount } from "../orders/money.js";
import { flattenTree, percentOf, useCategoryTree, useProducts, type Product, type ProductFilters, type ProductSort } from "./api.js";
import { CategoryTree } from "./CategoryTree.js";
import { ProductFormDrawer } from "./ProductFormDrawer.js";

const SORTABLE = new Set(["name", "sku", "listPrice", "updatedAt"]);
type ActiveFilter = "all" | "active" | "archived";

/** The catalogue: category tree on the side, searchable and sortable product list, create/edit drawer. */
export function ProductsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [filters, setFilters] = useState<ProductFilters>({ sort: "name", active: true });
  const [editing, setEditing] = useState<string | null | undefined>(undefined);
  const tree = useCategoryTree();
  const paths = useMemo(() => new Map(flattenTree(tree.data ?? []).map((c) => [c.id, c.path])), [tree.data]);

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => ((f.q ?? "") === search ? f : { ...f, q: search })), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const products = useProducts(filters);
  const rows = useQueryRows(products);
  const activeFilter: ActiveFilter = filters.active === undefined ? "all" : filters.active ? "active" : "archived";
  const order = (field: string) => (filters.sort === field ? ("ascend" as const) : filters.sort === `-${field}` ? ("descend" as const) : null);
  const sortable = (field: string) => ({ sorter: true, sortOrder: order(field) });

  const columns: TableColumnsType<Product> = [
    { key: "sku", title: t("products.sku"), dataIndex: "sku", width: 120, ...sortable("sku") },
    {
      key: "name",
      title: t("products.name"),
      width: 220,
      ...sortable("name"),
      render: (_, p) => (
        <Flex gap={6} align="center" wrap="wrap">
          {can("product:update") ? (
            <Typography.Link onClick={() => setEditing(p.id)} data-testid={`product-link-${p.sku}`}>
              {p.name}
            </Typography.Link>
          ) : (
            p.name
          )}
          {p.active ? null : <Tag>{t("products.archived")}</Tag>}
        </Flex>
      ),
    },
    { key: "category", title: t("products.category"), width: 160, render: (_, p) => (p.categoryId ? (paths.get(p.categoryId) ?? "…") : <Typography.Text type="secondary">{t("products.noCategory")}</Typography.Text>) },
    { key: "unit", title: t("products.unit"), dataIndex: "unit", width: 70, render: (v: string) => v || "—" },
    {
      key: "listPrice",
      title: t("products.listPrice"),
      width: 140,
      align: "right",
      ...sortable("listPrice"),
      render: (_, p) => <span style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>{formatAmount(p.listPrice, p.currency, 4)}</span>,
    },
    { key: "taxRate", title: t("products.taxRate"), width: 80, align: "right", render: (_, p) => `${percentOf(p.taxRate)}%` },
    { key: "productLine", title: t("products.productLine"), dataIndex: "productLine", width: 120, render: (v: string) => v || "—" },
  ];

  return (
    <>
      <PageHeader
        title={t("products.title")}
        subtitle={t("products.subtitle")}
        extra={
          <>
            {can("price_list:read") ? (
              <Button icon={<TagsOutlined />} onClick={() => void navigate("/products/price-lists")} data-testid="price-lists-link">
                {t("products.priceLists")}
              </Button>
            ) : null}
            {can("product:create") ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="product-create">
                {t("products.create")}
              </Button>
            ) : null}
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={6}>
          <Card title={t("products.categories.title")} size="small">
            <CategoryTree selected={filters.categoryId} onSelect={(id) => setFilters((f) => ({ ...f, categoryId: id }))} />
          </Card>
        </Col>
        <Col xs={24} lg={18}>
          <Card styles={{ body: { padding: 0 } }}>
            <Flex gap={8} wrap="wrap" style={{ padding: 16 }}>
              <Input.Search
                allowClear
                placeholder={t("products.searchPlaceholder")}
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                onSearch={(v) => {
                  setSearch(v);
                  setFilters((f) => ({ ...f, q: v }));
                }}
                style={{ flex: "1 1 220px", maxWidth: 320 }}
                data-testid="product-search"
              />
              <Segmented<ActiveFilter>
                value={activeFilter}
                onChange={(v) => setFilters((f) => ({ ...f, active: v === "all" ? undefined : v === "active" }))}
                options={(["active", "archived", "all"] as const).map((v) => ({ value: v, label: t(`products.filterActive.${v}`) }))}
              />
            </Flex>
            <InfiniteTable<Product>
              query={products}
              rows={rows}
              testId="products"
              resetScrollKey={filters}
              rowKey="id"
              columns={columns}
              size="middle"
              locale={{ emptyText: <Empty description={filters.q || filters.categoryId ? t("products.noMatches") : t("products.empty")} /> }}
              onChange={(_p, _f, sorter) => {
                const s = Array.isArray(sorter) ? sorter[0] : sorter;
                const field = String(s?.columnKey ?? "");
                setFilters((f) => ({ ...f, sort: !s?.order || !SORTABLE.has(field) ? "name" : ((s.order === "descend" ? `-${field}` : field) as ProductSort) }));
              }}
              onRow={(p) => ({ "data-testid": `product-row-${p.sku}` }) as HTMLAttributes<HTMLElement>}
            />
          </Card>
        </Col>
      </Row>
      <ProductFormDrawer open={editing !== undefined} productId={editing ?? null} categoryId={filters.categoryId} onClose={() => setEditing(undefined)} />
    </>
  );
}
