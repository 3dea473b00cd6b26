import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Checkbox, Empty, Flex, List, Skeleton } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useCan } from "../../app/session.js";
import { useTasks, type Task, type TaskObjectType } from "./api.js";
import { TaskFormModal } from "./TaskFormModal.js";
import { TaskItem } from "./TaskItem.js";

/**
 * The tasks of one record (a customer's include those on its orders, quotes
 * and opportunities) with a button to add one: mount it on any record page,
 * e.g. `<RecordTasksPanel objectType="lead" objectId={lead.id} />`.
 */
export function RecordTasksPanel({ objectType, objectId, bordered = true }: { objectType: TaskObjectType; objectId: string; bordered?: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const [showDone, setShowDone] = useState(false);
  const [editing, setEditing] = useState<Task | "new" | null>(null);
  const tasks = useTasks({ objectType, objectId, status: showDone ? undefined : "open" }, { pageSize: 20, enabled: can("task:read") });
  const items = useMemo(() => tasks.data?.pages.flatMap((p) => p.items) ?? [], [tasks.data]);
  if (!can("task:read")) return null;

  return (
    <Card
      size="small"
      variant={bordered ? "outlined" : "borderless"}
      title={t("tasks.panel.title")}
      extra={
        <Flex gap={8} align="center">
          <Checkbox checked={showDone} onChange={(e) => setShowDone(e.target.checked)} data-testid="record-tasks-show-done">
            {t("tasks.panel.showDone")}
          </Checkbox>
          {can("task:create") ? (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="record-task-create">
              {t("tasks.create")}
            </Button>
          ) : null}
        </Flex>
      }
      data-testid="record-tasks"
    >
      {tasks.isError ? (
        <QueryError error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : tasks.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <List
          size="small"
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("tasks.panel.empty")} /> }}
          renderItem={(task) => <TaskItem task={task} onEdit={setEditing} showRecord={task.objectType !== objectType || task.objectId !== objectId} />}
        />
      )}
      {tasks.hasNextPage ? (
        <Flex justify="center" style={{ paddingTop: 8 }}>
          <Button size="small" onClick={() => void tasks.fetchNextPage()} loading={tasks.isFetchingNextPage}>
            {t("common.loadMore")}
          </Button>
        </Flex>
      ) : null}
      <TaskFormModal open={editing !== null} task={editing && editing !== "new" ? editing : undefined} record={{ objectType, objectId }} onClose={() => setEditing(null)} />
    </Card>
  );
}
