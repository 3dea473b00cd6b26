import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Empty, Flex, Form, Input, Modal, Popconfirm, Skeleton, Tooltip, Tree, TreeSelect, Typography } from "antd";
import { useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { categoriesKey, createCategory, deleteCategory, flattenTree, productsKey, updateCategory, useCategoryTree, type CategoryNode } from "./api.js";
import { categoryTreeData } from "./ProductFormDrawer.js";

interface TreeNode {
  key: string;
  title: ReactNode;
  children: TreeNode[];
}

type Editing = { mode: "create"; parentId: string | null } | { mode: "edit"; node: CategoryNode };

const TOP = "__top__";

/**
 * The category tree: selecting a category filters the catalogue; with the
 * rights, categories are added, renamed, moved (parent) and deleted here. The
 * server refuses cycles, duplicate names and non-empty deletes: its message is shown.
 */
export function CategoryTree({ selected, onSelect }: { selected?: string; onSelect: (id: string | undefined) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const tree = useCategoryTree();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [form] = Form.useForm<{ name: string; parentId: string }>();
  const flat = useMemo(() => flattenTree(tree.data ?? []), [tree.data]);
  const current = flat.find((c) => c.id === selected)?.node;

  const treeData = useMemo(() => {
    const toNode = (n: CategoryNode): TreeNode => ({
      key: n.id,
      title: (
        <span data-testid={`category-${n.name}`}>
          {n.name}{" "}
          {n.productCount ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              ({n.productCount})
            </Typography.Text>
          ) : null}
        </span>
      ),
      children: n.children.map(toNode),
    });
    return (tree.data ?? []).map(toNode);
  }, [tree.data]);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: categoriesKey });
    void queryClient.invalidateQueries({ queryKey: productsKey });
  };

  const save = useMutation({
    mutationFn: async (v: { name: string; parentId: string }) => {
      const parentId = v.parentId === TOP ? null : v.parentId;
      if (editing?.mode === "edit") {
        const n = editing.node;
        return updateCategory(n.id, { version: n.version, ...(v.name.trim() !== n.name ? { name: v.name.trim() } : {}), ...(parentId !== n.parentId ? { parentId } : {}) });
      }
      return createCategory({ name: v.name.trim(), parentId });
    },
    onSuccess: () => {
      void message.success(editing?.mode === "edit" ? t("common.saved") : t("products.categories.created"));
      setEditing(null);
      refresh();
    },
    onError: (err) => {
      showError(err, form);
      refresh();
    },
  });

  const remove = useMutation({
    mutationFn: (id: string) => deleteCategory(id),
    onSuccess: () => {
      void message.success(t("common.deleted"));
      onSelect(undefined);
      refresh();
    },
    onError: (err) => showError(err),
  });

  const open = (e: Editing) => {
    setEditing(e);
    form.setFieldsValue(e.mode === "edit" ? { name: e.node.name, parentId: e.node.parentId ?? TOP } : { name: "", parentId: e.parentId ?? TOP });
  };

  const parentOptions = [{ value: TOP, title: t("products.categories.topLevel"), children: [] }, ...categoryTreeData(tree.data ?? [], editing?.mode === "edit" ? editing.node.id : undefined)];

  return (
    <Flex vertical gap={8} data-testid="category-tree">
      {can("product:create") || can("product:update") ? (
        <Flex gap={4} wrap="wrap">
          {can("product:create") ? (
            <Tooltip title={current ? t("products.categories.addChild") : t("products.categories.add")}>
              <Button size="small" icon={<PlusOutlined />} onClick={() => open({ mode: "create", parentId: current?.id ?? null })} data-testid="category-add">
                {current ? t("products.categories.addChild") : t("products.categories.add")}
              </Button>
            </Tooltip>
          ) : null}
          {can("product:update") && current ? (
            <>
              <Tooltip title={t("products.categories.edit")}>
                <Button size="small" icon={<EditOutlined />} onClick={() => open({ mode: "edit", node: current })} aria-label={t("products.categories.edit")} data-testid="category-edit" />
              </Tooltip>
              <Popconfirm title={t("products.categories.deleteConfirm", { name: current.name })} okButtonProps={{ danger: true }} onConfirm={() => remove.mutateAsync(current.id).catch(() => undefined)}>
                <Tooltip title={t("products.categories.delete")}>
                  <Button size="small" danger icon={<DeleteOutlined />} loading={remove.isPending} aria-label={t("products.categories.delete")} data-testid="category-delete" />
                </Tooltip>
              </Popconfirm>
            </>
          ) : null}
        </Flex>
      ) : null}
      <Button type={selected ? "text" : "link"} size="small" style={{ alignSelf: "flex-start", paddingInline: 4 }} onClick={() => onSelect(undefined)}>
        {t("products.categories.all")}
      </Button>
      {tree.isError ? (
        <QueryError error={tree.error} onRetry={() => void tree.refetch()} />
      ) : tree.isPending ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : treeData.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("products.categories.empty")} />
      ) : (
        <Tree blockNode defaultExpandAll treeData={treeData} selectedKeys={selected ? [selected] : []} onSelect={(keys) => onSelect((keys[0] as string | undefined) ?? undefined)} />
      )}
      <Modal
        open={editing !== null}
        title={editing?.mode === "edit" ? t("products.categories.edit") : t("products.categories.add")}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
        forceRender
        okButtonProps={{ "data-testid": "category-submit" } as Record<string, string>}
      >
        <Form form={form} name="category" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t("products.categories.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("products.categories.name") }) }]}>
            <Input maxLength={100} data-testid="category-name" />
          </Form.Item>
          <Form.Item name="parentId" label={t("products.categories.parent")}>
            <TreeSelect treeDefaultExpandAll treeData={parentOptions} showSearch treeNodeFilterProp="title" />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
