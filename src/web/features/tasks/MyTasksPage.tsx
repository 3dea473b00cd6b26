import { CalendarOutlined, CheckOutlined, RollbackOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Empty, Flex, Grid, List, Popover, Segmented, Skeleton, Tag, Tooltip, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan, useSession } from "../../app/session.js";
import { tasksKey, updateTask, useTasks, type Task, type TaskStatus } from "./api.js";

/** 我的任务: my open follow-ups, the soonest due first, overdue ones marked; complete or reschedule in place. */
export function MyTasksPage() {
  const { t } = useTranslation();
  const me = useSession();
  const [status, setStatus] = useState<TaskStatus>("open");
  const tasks = useTasks({ assigneeId: me.user.id, status });
  const items = useMemo(() => tasks.data?.pages.flatMap((p) => p.items) ?? [], [tasks.data]);

  return (
    <>
      <PageHeader
        title={t("tasks.title")}
        subtitle={t("tasks.subtitle")}
        extra={
          <Segmented<TaskStatus>
            value={status}
            onChange={setStatus}
            options={[
              { value: "open", label: t("tasks.statuses.open") },
              { value: "done", label: t("tasks.statuses.done") },
            ]}
            data-testid="tasks-status"
          />
        }
      />
      <Card styles={{ body: { paddingBlock: 8 } }}>
        {tasks.isError ? (
          <QueryError error={tasks.error} onRetry={() => void tasks.refetch()} />
        ) : tasks.isPending ? (
          <Skeleton active />
        ) : (
          <List
            dataSource={items}
            locale={{ emptyText: <Empty description={status === "open" ? t("tasks.emptyOpen") : t("tasks.emptyDone")} /> }}
            renderItem={(task) => <TaskItem task={task} />}
            data-testid="tasks-list"
          />
        )}
        {tasks.hasNextPage ? (
          <Flex justify="center" style={{ padding: 12 }}>
            <Button onClick={() => void tasks.fetchNextPage()} loading={tasks.isFetchingNextPage}>
              {t("common.loadMore")}
            </Button>
          </Flex>
        ) : null}
      </Card>
    </>
  );
}

function TaskItem({ task }: { task: Task }) {
  const { t } = useTranslation();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const [rescheduling, setRescheduling] = useState(false);
  const [when, setWhen] = useState<Dayjs | null>(null);
  const due = dayjs(task.dueAt);
  const open = task.status === "open";
  const overdue = open && due.isBefore(dayjs());
  const today = open && !overdue && due.isSame(dayjs(), "day");

  const change = useMutation({
    mutationFn: (input: { status?: TaskStatus; dueAt?: string }) => updateTask(task.id, { ...input, version: task.version }),
    onSuccess: (saved, input) => {
      void queryClient.invalidateQueries({ queryKey: tasksKey });
      setRescheduling(false);
      if (input.status === "done") void message.success(t("tasks.completed", { title: saved.title }));
      else if (input.status === "open") void message.success(t("tasks.reopened"));
      else void message.success(t("tasks.rescheduled", { when: dayjs(saved.dueAt).format("L LT") }));
    },
    onError: (err) => handleSaveError(err, undefined, () => void queryClient.invalidateQueries({ queryKey: tasksKey })),
  });

  const title = task.customerId ? (
    <Link to={`/customers/${task.customerId}`}>{task.title}</Link>
  ) : task.contactId ? (
    <Link to={`/contacts/${task.contactId}`}>{task.title}</Link>
  ) : (
    task.title
  );

  const actions =
    can("task:update") && open
      ? [
          <Popover
            key="reschedule"
            open={rescheduling}
            onOpenChange={(v) => {
              setRescheduling(v);
              setWhen(due);
            }}
            trigger="click"
            title={t("tasks.reschedule")}
            content={
              <Flex vertical gap={8}>
                <DatePicker
                  showTime={{ format: "HH:mm" }}
                  format="YYYY-MM-DD HH:mm"
                  value={when}
                  onChange={setWhen}
                  allowClear={false}
                  data-testid="task-reschedule-date"
                />
                <Button type="primary" size="small" disabled={!when} loading={change.isPending} onClick={() => when && change.mutate({ dueAt: when.startOf("minute").toISOString() })}>
                  {t("common.save")}
                </Button>
              </Flex>
            }
          >
            <Button size="small" icon={<CalendarOutlined />} aria-label={t("tasks.reschedule")} data-testid="task-reschedule">
              {screens.sm ? t("tasks.reschedule") : null}
            </Button>
          </Popover>,
          <Button
            key="done"
            size="small"
            type="primary"
            icon={<CheckOutlined />}
            loading={change.isPending && change.variables?.status === "done"}
            onClick={() => change.mutate({ status: "done" })}
            aria-label={t("tasks.complete")}
            data-testid="task-complete"
          >
            {screens.sm ? t("tasks.complete") : null}
          </Button>,
        ]
      : can("task:update") && task.status === "done"
        ? [
            <Button key="reopen" size="small" icon={<RollbackOutlined />} onClick={() => change.mutate({ status: "open" })} loading={change.isPending}>
              {t("tasks.reopen")}
            </Button>,
          ]
        : [];

  return (
    <List.Item
      actions={actions}
      style={overdue ? { background: "#fff1f0", paddingInline: 8, borderRadius: 6 } : { paddingInline: 8 }}
      data-testid="task-item"
      data-overdue={overdue ? "true" : "false"}
    >
      <List.Item.Meta
        title={
          <Flex gap={8} align="center" wrap="wrap">
            <span style={{ textDecoration: task.status === "done" ? "line-through" : undefined }}>{title}</span>
            {overdue ? <Tag color="error">{t("tasks.overdue")}</Tag> : today ? <Tag color="warning">{t("tasks.dueToday")}</Tag> : null}
          </Flex>
        }
        description={
          <Flex vertical gap={2}>
            <Tooltip title={due.format("LLLL")}>
              <Typography.Text type={overdue ? "danger" : "secondary"} data-testid="task-due">
                <CalendarOutlined /> {t("tasks.dueLine", { when: due.format("L LT"), relative: due.fromNow() })}
              </Typography.Text>
            </Tooltip>
            {task.notes ? <Typography.Text type="secondary" style={{ whiteSpace: "pre-wrap" }}>{task.notes}</Typography.Text> : null}
          </Flex>
        }
      />
    </List.Item>
  );
}
