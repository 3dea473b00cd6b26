import { DeleteOutlined, EditOutlined, EyeOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Flex, Popconfirm, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { deleteRole, rolesKey, useRoles, type Role } from "./api.js";
import { RoleDrawer } from "./RoleDrawer.js";

export function RolesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const roles = useRoles();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [drawer, setDrawer] = useState<{ role?: Role } | null>(null);

  const remove = useMutation({
    mutationFn: deleteRole,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rolesKey });
      void message.success(t("common.deleted"));
    },
    onError: (err) => showError(err),
  });

  const columns: TableColumnsType<Role> = [
    {
      key: "name",
      title: t("roles.name"),
      render: (_, r) => (
        <Flex vertical>
          <Space size={6} wrap>
            <Typography.Text strong>{r.name}</Typography.Text>
            {r.isSystem ? <Tag color="blue">{t("roles.system")}</Tag> : <Tag>{t("roles.custom")}</Tag>}
          </Space>
          {r.description ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.description}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    { key: "key", title: t("roles.key"), dataIndex: "key", responsive: ["md"], render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
    { key: "visibility", title: t("roles.visibility"), dataIndex: "visibility", responsive: ["sm"], render: (v: Role["visibility"]) => t(`roles.visibilityOptions.${v}`) },
    {
      key: "permissions",
      title: t("roles.permissions"),
      responsive: ["lg"],
      render: (_, r) => t("roles.permissionCount", { count: r.permissions.length }),
    },
    {
      key: "actions",
      title: t("common.actions"),
      align: "right",
      width: 110,
      render: (_, r) => {
        const editable = !r.isSystem && can("role:update");
        return (
          <Space size={0}>
            <Tooltip title={editable ? t("common.edit") : t("common.view")}>
              <Button
                type="text"
                icon={editable ? <EditOutlined /> : <EyeOutlined />}
                onClick={() => setDrawer({ role: r })}
                aria-label={editable ? t("common.edit") : t("common.view")}
              />
            </Tooltip>
            {!r.isSystem && can("role:delete") ? (
              <Popconfirm
                title={t("roles.deleteConfirm", { name: r.name })}
                description={t("roles.deleteHint")}
                okButtonProps={{ danger: true }}
                okText={t("common.delete")}
                onConfirm={() => remove.mutateAsync(r.id).catch(() => undefined)}
              >
              {/* No tooltip here: it would cover the confirmation. */}
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} />
              </Popconfirm>
            ) : null}
          </Space>
        );
      },
    },
  ];

  // System roles are read-only whatever the user's rights; custom ones need role:update.
  const open = drawer?.role && !drawer.role.isSystem && !can("role:update") ? { role: { ...drawer.role, isSystem: true } } : drawer;

  return (
    <>
      <PageHeader
        title={t("roles.title")}
        subtitle={t("roles.subtitle")}
        extra={
          can("role:create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({})} data-testid="role-create">
              {t("roles.create")}
            </Button>
          ) : null
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        {roles.isError ? (
          <QueryError error={roles.error} onRetry={() => void roles.refetch()} />
        ) : (
          <Table<Role> rowKey="id" columns={columns} dataSource={roles.data} loading={roles.isLoading} pagination={false} data-testid="roles-table" />
        )}
      </Card>
      <RoleDrawer open={drawer !== null} role={open?.role} onClose={() => setDrawer(null)} />
    </>
  );
}
