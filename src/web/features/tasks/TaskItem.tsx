import { CalendarOutlined, CheckOutlined, EditOutlined, MoreOutlined, RollbackOutlined, StopOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Dropdown, Flex, Grid, List, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan, useSession } from "../../app/session.js";
import { useUserNames } from "../users/names.js";
import { recordPath, tasksKey, updateTask, type Task, type TaskStatus } from "./api.js";

/** Whether an open task is past due or due later today. */
export function dueState(task: Pick<Task, "status" | "dueAt">, now = dayjs()): "overdue" | "today" | null {
  if (task.status !== "open") return null;
  const due = dayjs(task.dueAt);
  if (due.isBefore(now)) return "overdue";
  return due.isSame(now, "day") ? "today" : null;
}

export const PRIORITY_COLORS = { high: "red", normal: "blue", low: "default" } as const;

/** Complete, reopen or cancel a task in place. */
export function useTaskStatus(task: Task) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  return useMutation({
    mutationFn: (status: TaskStatus) => updateTask(task.id, { status, version: task.version }),
    onSuccess: (saved, status) => {
      void queryClient.invalidateQueries({ queryKey: tasksKey });
      void message.success(status === "done" ? t("tasks.completed", { title: saved.title }) : status === "open" ? t("tasks.reopened") : t("tasks.cancelled"));
    },
    onError: (err) => handleSaveError(err, undefined, () => void queryClient.invalidateQueries({ queryKey: tasksKey })),
  });
}

/** The record a task is about, as a link (or its kind alone when the reader may not open it). */
export function TaskRecord({ task }: { task: Task }) {
  const { t } = useTranslation();
  if (!task.objectType) return null;
  const kind = t(`tasks.objects.${task.objectType}`);
  const path = recordPath(task);
  if (!task.recordLabel) return <Typography.Text type="secondary">{t("tasks.recordHidden", { object: kind })}</Typography.Text>;
  return (
    <span data-testid="task-record">
      <Typography.Text type="secondary">{kind}</Typography.Text> {path ? <Link to={path}>{task.recordLabel}</Link> : task.recordLabel}
    </span>
  );
}

/**
 * One task in a list: title, due time (overdue and due-today marked),
 * priority, record, assignee when it is not the reader; complete, edit,
 * reopen or cancel.
 */
export function TaskItem({ task, onEdit, showRecord = true }: { task: Task; onEdit: (task: Task) => void; showRecord?: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const nameOf = useUserNames();
  const screens = Grid.useBreakpoint();
  const change = useTaskStatus(task);
  const due = dayjs(task.dueAt);
  const state = dueState(task);
  const open = task.status === "open";
  const editable = can("task:update");

  const actions = !editable
    ? []
    : open
      ? [
          <Button
            key="done"
            size="small"
            type="primary"
            icon={<CheckOutlined />}
            loading={change.isPending && change.variables === "done"}
            onClick={() => change.mutate("done")}
            aria-label={t("tasks.complete")}
            data-testid="task-complete"
          >
            {screens.sm ? t("tasks.complete") : null}
          </Button>,
          <Dropdown
            key="more"
            trigger={["click"]}
            menu={{
              items: [
                { key: "edit", icon: <EditOutlined />, label: t("common.edit") },
                { key: "cancel", icon: <StopOutlined />, label: t("tasks.cancelTask"), danger: true },
              ],
              onClick: ({ key }) => (key === "edit" ? onEdit(task) : change.mutate("cancelled")),
            }}
          >
            <Button size="small" icon={<MoreOutlined />} aria-label={t("common.edit")} data-testid="task-more" />
          </Dropdown>,
        ]
      : [
          <Button key="reopen" size="small" icon={<RollbackOutlined />} onClick={() => change.mutate("open")} loading={change.isPending} data-testid="task-reopen">
            {screens.sm ? t("tasks.reopen") : null}
          </Button>,
        ];

  return (
    <List.Item
      actions={actions}
      style={state === "overdue" ? { background: "#fff1f0", paddingInline: 8, borderRadius: 6 } : { paddingInline: 8 }}
      data-testid="task-item"
      data-overdue={state === "overdue" ? "true" : "false"}
    >
      <List.Item.Meta
        title={
          <Flex gap={8} align="center" wrap="wrap">
            <Typography.Link
              onClick={() => onEdit(task)}
              disabled={!editable}
              style={{ textDecoration: open ? undefined : "line-through", color: open ? undefined : "inherit" }}
              data-testid="task-title-link"
            >
              {task.title}
            </Typography.Link>
            {task.priority !== "normal" ? <Tag color={PRIORITY_COLORS[task.priority]}>{t(`tasks.priorities.${task.priority}`)}</Tag> : null}
            {state === "overdue" ? <Tag color="error">{t("tasks.overdue")}</Tag> : state === "today" ? <Tag color="warning">{t("tasks.dueToday")}</Tag> : null}
            {task.status === "cancelled" ? <Tag>{t("tasks.statuses.cancelled")}</Tag> : null}
          </Flex>
        }
        description={
          <Flex vertical gap={2}>
            <Flex gap={12} wrap="wrap">
              <Tooltip title={due.format("LLLL")}>
                <Typography.Text type={state === "overdue" ? "danger" : "secondary"} data-testid="task-due">
                  <CalendarOutlined /> {t("tasks.dueLine", { when: due.format("L LT"), relative: due.fromNow() })}
                </Typography.Text>
              </Tooltip>
              {showRecord ? <TaskRecord task={task} /> : null}
              {task.assigneeId !== me.user.id ? <Typography.Text type="secondary">{t("tasks.assignedTo", { name: nameOf(task.assigneeId) ?? "—" })}</Typography.Text> : null}
            </Flex>
            {task.notes ? (
              <Typography.Paragraph type="secondary" style={{ whiteSpace: "pre-wrap", marginBottom: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                {task.notes}
              </Typography.Paragraph>
            ) : null}
          </Flex>
        }
      />
    </List.Item>
  );
}
