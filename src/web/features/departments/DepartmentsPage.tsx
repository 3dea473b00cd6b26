import { ApartmentOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Flex, Popconfirm, Skeleton, Tooltip, Tree, Typography, type TreeProps } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { buildDepartmentTree, deleteDepartment, departmentsKey, updateDepartment, useDepartments, type Department, type DepartmentNode } from "./api.js";
import { DepartmentModal } from "./DepartmentModal.js";

type ModalState = { department?: Department; parentId?: string | null } | null;

export function DepartmentsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const departments = useDepartments();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const handleSaveError = useSaveErrorHandler();
  const [modal, setModal] = useState<ModalState>(null);
  const tree = useMemo(() => buildDepartmentTree(departments.data ?? []), [departments.data]);
  const canUpdate = can("department:update");

  const invalidate = () => queryClient.invalidateQueries({ queryKey: departmentsKey });

  const remove = useMutation({
    mutationFn: deleteDepartment,
    onSuccess: () => {
      void invalidate();
      void message.success(t("common.deleted"));
    },
    onError: (err) => showError(err),
  });

  const move = useMutation({
    mutationFn: ({ d, parentId }: { d: Department; parentId: string | null }) => updateDepartment(d.id, { version: d.version, parentId }),
    onSuccess: () => void message.success(t("departments.moved")),
    // A stale version warns that the tree was reloaded; a cycle or anything else shows the server's message.
    // The tree reloads in onSettled either way, so the conflict callback has nothing left to do.
    onError: (err) => handleSaveError(err, undefined, () => undefined),
    // Returning the refetch keeps the mutation pending until the tree (and its versions) is fresh,
    // so a second drag cannot send the version the first move just replaced.
    onSettled: () => invalidate(),
  });

  // rc-tree reports the node the drop lands on or next to (after moving the pointer left, an
  // ancestor of the hovered row). Dropping onto it makes it the parent; dropping into a gap makes
  // the department its sibling: siblings have no order of their own, they are sorted by name.
  // rc-tree already refuses drops onto the dragged department's own descendants; the server checks cycles too.
  const onDrop: TreeProps<DepartmentNode>["onDrop"] = (info) => {
    const dragged = info.dragNode.department;
    const target = info.node.department;
    const parentId = info.dropToGap ? target.parentId : target.id;
    if (dragged.parentId === parentId || dragged.id === parentId) return;
    move.mutate({ d: dragged, parentId });
  };

  const titleRender = (node: DepartmentNode) => (
    <Flex align="center" gap={8} className="gx-tree-row" style={{ display: "inline-flex" }} data-testid={`department-${node.title}`}>
      <Typography.Text>{node.title}</Typography.Text>
      <span className="gx-tree-actions" onClick={(e) => e.stopPropagation()}>
        {can("department:create") ? (
          <Tooltip title={t("departments.createChild")}>
            <Button size="small" type="text" icon={<PlusOutlined />} onClick={() => setModal({ parentId: node.department.id })} aria-label={t("departments.createChild")} />
          </Tooltip>
        ) : null}
        {canUpdate ? (
          <Tooltip title={t("common.edit")}>
            <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setModal({ department: node.department })} aria-label={t("common.edit")} />
          </Tooltip>
        ) : null}
        {can("department:delete") ? (
          <Popconfirm
            title={t("departments.deleteConfirm", { name: node.title })}
            description={t("departments.deleteHint")}
            okButtonProps={{ danger: true }}
            okText={t("common.delete")}
            onConfirm={() => remove.mutateAsync(node.department.id).catch(() => undefined)}
          >
            <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} />
          </Popconfirm>
        ) : null}
      </span>
    </Flex>
  );

  let body;
  if (departments.isError) body = <QueryError error={departments.error} onRetry={() => void departments.refetch()} />;
  else if (departments.isPending) body = <Skeleton active />;
  else if (tree.length === 0) body = <Empty description={t("departments.empty")} />;
  else
    body = (
      <>
        <Tree<DepartmentNode>
          treeData={tree}
          defaultExpandAll
          blockNode
          showLine
          showIcon
          icon={<ApartmentOutlined />}
          draggable={canUpdate && !move.isPending ? { icon: false } : false}
          onDrop={onDrop}
          titleRender={titleRender}
          selectable={false}
          data-testid="departments-tree"
        />
        {canUpdate ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
            {t("departments.dragHint")}
          </Typography.Paragraph>
        ) : null}
      </>
    );

  return (
    <>
      <style>{`.gx-tree-actions{opacity:0;transition:opacity .15s}.gx-tree-row:hover .gx-tree-actions,.gx-tree-row:focus-within .gx-tree-actions{opacity:1}@media (hover:none){.gx-tree-actions{opacity:1}}`}</style>
      <PageHeader
        title={t("departments.title")}
        subtitle={t("departments.subtitle")}
        extra={
          can("department:create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ parentId: null })} data-testid="department-create">
              {t("departments.create")}
            </Button>
          ) : null
        }
      />
      <Card>{body}</Card>
      <DepartmentModal open={modal !== null} department={modal?.department} parentId={modal?.parentId} onClose={() => setModal(null)} />
    </>
  );
}
