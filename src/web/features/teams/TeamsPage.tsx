import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Avatar, Button, Card, Empty, Flex, Popconfirm, Space, Table, Tooltip, Typography, type TableColumnsType } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { useUserOptions } from "../users/api.js";
import { deleteTeam, teamsKey, useTeams, type Team } from "./api.js";
import { TeamModal } from "./TeamModal.js";

export function TeamsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const teams = useTeams();
  // The first 100 users by name label the member avatars; larger workspaces show the count only for the rest.
  const users = useUserOptions("", can("user:read"));
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [modal, setModal] = useState<{ team?: Team } | null>(null);

  const names = useMemo(() => Object.fromEntries((users.data?.items ?? []).map((u) => [u.id, u.name])), [users.data]);

  const remove = useMutation({
    mutationFn: deleteTeam,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: teamsKey });
      void message.success(t("common.deleted"));
    },
    onError: (err) => showError(err),
  });

  const columns: TableColumnsType<Team> = [
    {
      key: "name",
      title: t("teams.name"),
      render: (_, team) => (
        <Flex vertical>
          <Typography.Text strong>{team.name}</Typography.Text>
          {team.description ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {team.description}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      key: "members",
      title: t("teams.members"),
      render: (_, team) => (
        <Flex align="center" gap={8} wrap="wrap">
          <Avatar.Group max={{ count: 5 }} size="small">
            {team.memberIds.map((id) => (
              <Tooltip key={id} title={names[id]}>
                <Avatar style={{ background: "#597ef7" }}>{Array.from(names[id] ?? "?")[0]}</Avatar>
              </Tooltip>
            ))}
          </Avatar.Group>
          <Typography.Text type="secondary">{t("teams.memberCount", { count: team.memberIds.length })}</Typography.Text>
        </Flex>
      ),
    },
    {
      key: "actions",
      title: t("common.actions"),
      align: "right",
      width: 110,
      render: (_, team) => (
        <Space size={0}>
          {can("team:update") ? (
            <Tooltip title={t("common.edit")}>
              <Button type="text" icon={<EditOutlined />} onClick={() => setModal({ team })} aria-label={t("common.edit")} />
            </Tooltip>
          ) : null}
          {can("team:delete") ? (
            <Popconfirm
              title={t("teams.deleteConfirm", { name: team.name })}
              okButtonProps={{ danger: true }}
              okText={t("common.delete")}
              onConfirm={() => remove.mutateAsync(team.id).catch(() => undefined)}
            >
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} />
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t("teams.title")}
        subtitle={t("teams.subtitle")}
        extra={
          can("team:create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({})} data-testid="team-create">
              {t("teams.create")}
            </Button>
          ) : null
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        {teams.isError ? (
          <QueryError error={teams.error} onRetry={() => void teams.refetch()} />
        ) : (
          <Table<Team>
            rowKey="id"
            columns={columns}
            dataSource={teams.data}
            loading={teams.isLoading}
            pagination={false}
            locale={{ emptyText: <Empty description={t("teams.empty")} /> }}
          />
        )}
      </Card>
      <TeamModal open={modal !== null} team={modal?.team} memberNames={names} onClose={() => setModal(null)} />
    </>
  );
}
