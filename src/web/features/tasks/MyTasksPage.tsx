import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Checkbox, Empty, Flex, List, Segmented, Select, Skeleton } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useCan, useSession } from "../../app/session.js";
import { TASK_PRIORITIES, useTasks, type Task, type TaskFilters, type TaskPriority, type TaskStatus } from "./api.js";
import { TaskCalendar } from "./TaskCalendar.js";
import { TaskFormModal } from "./TaskFormModal.js";
import { TaskItem } from "./TaskItem.js";

type Scope = "mine" | "team";
type View = "list" | "calendar";

/**
 * 我的任务: my follow-ups (or my team's, as far as my role sees), filtered by
 * status, priority or overdue, as a list (soonest due first) or a month
 * calendar; complete, edit, reopen or cancel in place.
 */
export function MyTasksPage() {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const [view, setView] = useState<View>("list");
  const [scope, setScope] = useState<Scope>("mine");
  const [status, setStatus] = useState<TaskStatus | "all">("open");
  const [priority, setPriority] = useState<TaskPriority | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [editing, setEditing] = useState<Task | "new" | null>(null);

  const filters: TaskFilters = {
    assigneeId: scope === "mine" ? me.user.id : undefined,
    status: status === "all" ? undefined : status,
    priority,
    overdue: overdue || undefined,
  };
  // Someone who sees only their own records has no team view to choose.
  const teamView = me.visibility !== "own";

  return (
    <>
      <PageHeader
        title={t("tasks.title")}
        subtitle={t("tasks.subtitle")}
        extra={
          <Flex gap={8} wrap="wrap">
            <Segmented<View>
              value={view}
              onChange={setView}
              options={[
                { value: "list", label: t("tasks.views.list") },
                { value: "calendar", label: t("tasks.views.calendar") },
              ]}
              data-testid="tasks-view"
            />
            {can("task:create") ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="task-create">
                {t("tasks.create")}
              </Button>
            ) : null}
          </Flex>
        }
      />
      <Flex gap={8} wrap="wrap" align="center" style={{ marginBottom: 12 }}>
        {teamView ? (
          <Segmented<Scope>
            value={scope}
            onChange={setScope}
            options={[
              { value: "mine", label: t("tasks.filters.mine") },
              { value: "team", label: t("tasks.filters.team") },
            ]}
            data-testid="tasks-scope"
          />
        ) : null}
        <Select<TaskStatus | "all">
          value={status}
          onChange={setStatus}
          disabled={overdue}
          style={{ minWidth: 120 }}
          options={[
            { value: "open", label: t("tasks.statuses.open") },
            { value: "done", label: t("tasks.statuses.done") },
            { value: "cancelled", label: t("tasks.statuses.cancelled") },
            { value: "all", label: t("tasks.filters.allStatuses") },
          ]}
          data-testid="tasks-status"
        />
        <Select<TaskPriority>
          value={priority}
          onChange={setPriority}
          allowClear
          placeholder={t("tasks.filters.allPriorities")}
          style={{ minWidth: 120 }}
          options={TASK_PRIORITIES.map((p) => ({ value: p, label: t(`tasks.priorities.${p}`) }))}
          data-testid="tasks-priority"
        />
        {view === "list" ? (
          <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="tasks-overdue">
            {t("tasks.filters.overdueOnly")}
          </Checkbox>
        ) : null}
      </Flex>
      {view === "list" ? (
        <TaskList filters={filters} emptyText={status === "open" && !priority && !overdue ? t("tasks.emptyOpen") : status === "done" ? t("tasks.emptyDone") : t("tasks.empty")} onEdit={setEditing} />
      ) : (
        <TaskCalendar filters={{ assigneeId: filters.assigneeId, status: filters.status, priority }} onEdit={setEditing} />
      )}
      <TaskFormModal open={editing !== null} task={editing && editing !== "new" ? editing : undefined} onClose={() => setEditing(null)} />
    </>
  );
}

function TaskList({ filters, emptyText, onEdit }: { filters: TaskFilters; emptyText: string; onEdit: (task: Task) => void }) {
  const { t } = useTranslation();
  const tasks = useTasks(filters);
  const items = useMemo(() => tasks.data?.pages.flatMap((p) => p.items) ?? [], [tasks.data]);
  return (
    <Card styles={{ body: { paddingBlock: 8 } }}>
      {tasks.isError ? (
        <QueryError error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : tasks.isPending ? (
        <Skeleton active />
      ) : (
        <List dataSource={items} locale={{ emptyText: <Empty description={emptyText} /> }} renderItem={(task) => <TaskItem task={task} onEdit={onEdit} />} data-testid="tasks-list" />
      )}
      {tasks.hasNextPage ? (
        <Flex justify="center" style={{ padding: 12 }}>
          <Button onClick={() => void tasks.fetchNextPage()} loading={tasks.isFetchingNextPage}>
            {t("common.loadMore")}
          </Button>
        </Flex>
      ) : null}
    </Card>
  );
}
