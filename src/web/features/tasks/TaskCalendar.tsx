import { Alert, Badge, Calendar, Card, Empty, Flex, Grid, List, Skeleton, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { CALENDAR_LIMIT, useCalendarTasks, type Task, type TaskFilters } from "./api.js";
import { dueState, TaskItem } from "./TaskItem.js";

const PER_CELL = 3;

/**
 * A month of tasks on their due dates: a click on a task opens it, a click
 * on a day lists that day's tasks below it (complete, edit).
 */
export function TaskCalendar({ filters, onEdit }: { filters: Pick<TaskFilters, "assigneeId" | "status" | "priority">; onEdit: (task: Task) => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const [month, setMonth] = useState(() => dayjs().startOf("month"));
  const [day, setDay] = useState<Dayjs>(() => dayjs().startOf("day"));
  // The whole grid the month panel shows (six weeks), so days of the neighbouring months have their tasks too.
  const range = useMemo(() => {
    const from = month.startOf("month").startOf("week");
    return { from: from.toISOString(), to: from.add(6, "week").toISOString() };
  }, [month]);
  const tasks = useCalendarTasks(range, filters);

  const byDay = useMemo(() => {
    const map = new Map<string, Task[]>();
    for (const task of tasks.data?.items ?? []) {
      const key = dayjs(task.dueAt).format("YYYY-MM-DD");
      map.set(key, [...(map.get(key) ?? []), task]);
    }
    return map;
  }, [tasks.data]);
  const ofDay = byDay.get(day.format("YYYY-MM-DD")) ?? [];

  if (tasks.isError) return <QueryError error={tasks.error} onRetry={() => void tasks.refetch()} />;

  const cell = (date: Dayjs) => {
    const list = byDay.get(date.format("YYYY-MM-DD")) ?? [];
    if (!list.length) return null;
    if (!screens.md) return <Badge count={list.length} size="small" color={list.some((x) => dueState(x) === "overdue") ? "red" : "blue"} />;
    return (
      <Flex vertical gap={2} data-testid="calendar-day-tasks">
        {list.slice(0, PER_CELL).map((task) => (
          <Typography.Text
            key={task.id}
            ellipsis
            onClick={(e) => {
              e.stopPropagation();
              onEdit(task);
            }}
            style={{ fontSize: 12, cursor: "pointer", textDecoration: task.status === "open" ? undefined : "line-through" }}
            type={dueState(task) === "overdue" ? "danger" : task.status === "open" ? undefined : "secondary"}
            data-testid="calendar-task"
          >
            <Badge status={task.priority === "high" ? "error" : task.status === "open" ? "processing" : "default"} /> {dayjs(task.dueAt).format("HH:mm")} {task.title}
          </Typography.Text>
        ))}
        {list.length > PER_CELL ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t("tasks.calendar.more", { count: list.length - PER_CELL })}</Typography.Text> : null}
      </Flex>
    );
  };

  return (
    <Flex vertical gap={16}>
      {tasks.data?.truncated ? <Alert type="warning" showIcon title={t("tasks.calendar.truncated", { count: CALENDAR_LIMIT })} /> : null}
      <Card styles={{ body: { padding: screens.md ? 16 : 8 } }} loading={tasks.isPending} data-testid="tasks-calendar-month">
        <Calendar
          fullscreen={screens.md ?? true}
          value={day}
          onPanelChange={(date) => setMonth(date.startOf("month"))}
          onSelect={(date, info) => {
            setDay(date.startOf("day"));
            if (info.source === "month" || info.source === "year" || !date.isSame(month, "month")) setMonth(date.startOf("month"));
          }}
          cellRender={(date, info) => (info.type === "date" ? cell(date) : info.originNode)}
          data-testid="tasks-calendar"
        />
      </Card>
      <Card size="small" title={t("tasks.calendar.dayTitle", { day: day.format("LL") })} data-testid="calendar-day">
        {tasks.isPending ? (
          <Skeleton active />
        ) : (
          <List dataSource={ofDay} locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("tasks.calendar.dayEmpty")} /> }} renderItem={(task) => <TaskItem task={task} onEdit={onEdit} />} />
        )}
      </Card>
    </Flex>
  );
}
