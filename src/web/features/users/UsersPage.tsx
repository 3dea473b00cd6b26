import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Flex, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { useCan, useSession } from "../../app/session.js";
import { useDepartments } from "../departments/api.js";
import { useTeams } from "../teams/api.js";
import { deleteUser, usersKey, useUsers, type User, type UserSort, type UserStatus } from "./api.js";
import { RoleSelect } from "./pickers.js";
import { UserCreateModal } from "./UserCreateModal.js";
import { UserEditDrawer } from "./UserEditDrawer.js";

export function UsersPage() {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();

  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [sort, setSort] = useState<UserSort>("name");
  const [roleId, setRoleId] = useState<string | undefined>();
  const [status, setStatus] = useState<UserStatus | undefined>();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  // Search as the user types, once they pause.
  useEffect(() => {
    const timer = setTimeout(() => setQ(search), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const users = useUsers({ q, roleId, status, sort });
  const order = (field: "name" | "email" | "createdAt") =>
    sort === field ? ("ascend" as const) : sort === `-${field}` ? ("descend" as const) : null;
  const departments = useDepartments(can("department:read"));
  const teams = useTeams(can("team:read"));
  const rows = useMemo(() => users.data?.pages.flatMap((p) => p.items) ?? [], [users.data]);
  const departmentName = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d.name])), [departments.data]);
  const teamName = useMemo(() => new Map((teams.data ?? []).map((x) => [x.id, x.name])), [teams.data]);

  const remove = useMutation({
    mutationFn: deleteUser,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: usersKey });
      void message.success(t("users.removed"));
    },
    onError: (err) => showError(err),
  });

  const columns: TableColumnsType<User> = [
    {
      key: "name",
      title: t("users.name"),
      sorter: true,
      sortOrder: order("name"),
      render: (_, u) => (
        <Flex vertical style={{ minWidth: 0 }}>
          <Typography.Text strong>
            {u.name} {u.id === me.user.id ? <Tag>{t("common.you")}</Tag> : null}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {u.email}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: "role", title: t("users.role"), dataIndex: "roleName", responsive: ["sm"] },
    {
      key: "department",
      title: t("users.department"),
      responsive: ["lg"],
      render: (_, u) => (u.departmentId ? departmentName.get(u.departmentId) ?? "—" : "—"),
    },
    {
      key: "teams",
      title: t("users.teams"),
      responsive: ["xl"],
      render: (_, u) =>
        u.teamIds.length ? (
          <Flex gap={4} wrap="wrap">
            {u.teamIds.map((id) => (
              <Tag key={id}>{teamName.get(id) ?? "…"}</Tag>
            ))}
          </Flex>
        ) : (
          "—"
        ),
    },
    {
      key: "status",
      title: t("users.status"),
      dataIndex: "status",
      responsive: ["md"],
      render: (s: UserStatus) => (s === "active" ? <Tag color="success">{t("users.statusActive")}</Tag> : <Tag>{t("users.statusDisabled")}</Tag>),
    },
    {
      key: "createdAt",
      title: t("users.createdAt"),
      dataIndex: "createdAt",
      sorter: true,
      sortOrder: order("createdAt"),
      responsive: ["lg"],
      render: (v: string) => dayjs(v).format("L"),
    },
    {
      key: "actions",
      title: t("common.actions"),
      align: "right",
      width: 110,
      render: (_, u) => (
        <Space size={0}>
          {can("user:update") ? (
            <Tooltip title={t("common.edit")}>
              <Button type="text" icon={<EditOutlined />} onClick={() => setEditing(u.id)} aria-label={t("common.edit")} data-testid={`user-edit-${u.email}`} />
            </Tooltip>
          ) : null}
          {can("user:delete") && u.id !== me.user.id ? (
            <Popconfirm
              title={t("users.removeConfirm", { name: u.name })}
              description={t("users.removeHint")}
              okButtonProps={{ danger: true }}
              okText={t("common.remove")}
              onConfirm={() => remove.mutateAsync(u.id).catch(() => undefined)}
            >
              {/* No tooltip here: it would cover the confirmation. */}
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={t("common.remove")} />
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t("users.title")}
        subtitle={t("users.subtitle")}
        extra={
          can("user:create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
              {t("users.create")}
            </Button>
          ) : null
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={8} wrap="wrap" style={{ padding: 16 }}>
          <Input.Search
            allowClear
            placeholder={t("users.searchPlaceholder")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => {
              setSearch(v);
              setQ(v);
            }}
            style={{ flex: "1 1 220px", maxWidth: 360 }}
            data-testid="user-search"
          />
          {can("role:read") ? (
            <RoleSelect allowClear placeholder={t("users.filterRole")} value={roleId} onChange={setRoleId} style={{ minWidth: 160 }} />
          ) : null}
          <Select<UserStatus>
            allowClear
            placeholder={t("users.filterStatus")}
            value={status}
            onChange={setStatus}
            style={{ minWidth: 140 }}
            options={[
              { value: "active", label: t("users.statusActive") },
              { value: "disabled", label: t("users.statusDisabled") },
            ]}
          />
        </Flex>
        {users.isError ? (
          <QueryError error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <Table<User>
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={users.isLoading}
            pagination={false}
            size="middle"
            data-testid="users-table"
            onChange={(_p, _f, sorter) => {
              const s = Array.isArray(sorter) ? sorter[0] : sorter;
              const field = s?.columnKey === "createdAt" ? "createdAt" : "name";
              // Server-side order; clearing the sort falls back to name.
              setSort(!s?.order ? "name" : s.order === "descend" ? (`-${field}` as UserSort) : field);
            }}
            onRow={(u) => ({ "data-testid": `user-row-${u.email}` }) as HTMLAttributes<HTMLElement>}
          />
        )}
        <Flex justify="center" align="center" gap={12} style={{ padding: 16 }}>
          <Typography.Text type="secondary">{t("common.shownCount", { count: rows.length })}</Typography.Text>
          {users.hasNextPage ? (
            <Button onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
              {t("common.loadMore")}
            </Button>
          ) : null}
        </Flex>
      </Card>
      <UserCreateModal open={creating} onClose={() => setCreating(false)} />
      <UserEditDrawer userId={editing} onClose={() => setEditing(null)} isSelf={editing === me.user.id} />
    </>
  );
}
