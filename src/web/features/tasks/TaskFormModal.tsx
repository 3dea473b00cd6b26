import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, DatePicker, Form, Input, Modal, Segmented, type ButtonProps } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../../app/api.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useSession } from "../../app/session.js";
import { useUserNames } from "../users/names.js";
import { UserSelect } from "../users/pickers.js";
import { createTask, TASK_PRIORITIES, tasksKey, updateTask, type Task, type TaskObjectType, type TaskPriority } from "./api.js";

interface Values {
  title: string;
  notes?: string;
  dueAt: Dayjs;
  assigneeId: string;
  priority: TaskPriority;
}

/** The next full hour, at least an hour from now: a sensible default due time. */
const nextSlot = () => dayjs().add(1, "hour").startOf("hour");

/**
 * Creates a task (on `record` when given) or edits `task`: title, notes, due
 * time, assignee and priority. Status changes are the list's buttons.
 */
export function TaskFormModal({
  open,
  task,
  record,
  defaultDue,
  onClose,
  onSaved,
}: {
  open: boolean;
  task?: Task;
  record?: { objectType: TaskObjectType; objectId: string };
  defaultDue?: Dayjs;
  onClose: () => void;
  onSaved?: (task: Task) => void;
}) {
  const { t } = useTranslation();
  const me = useSession();
  const nameOf = useUserNames();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      task
        ? { title: task.title, notes: task.notes, dueAt: dayjs(task.dueAt), assigneeId: task.assigneeId, priority: task.priority }
        : { title: "", notes: "", dueAt: defaultDue ?? nextSlot(), assigneeId: me.user.id, priority: "normal" },
    );
  }, [open, task, defaultDue, form, me.user.id]);

  const mutation = useMutation({
    mutationFn: (v: Values) => {
      const input = { title: v.title.trim(), notes: v.notes?.trim() ?? "", dueAt: v.dueAt.startOf("minute").toISOString(), assigneeId: v.assigneeId, priority: v.priority };
      return task ? updateTask(task.id, { ...input, version: task.version }) : createTask({ ...input, ...(record ?? {}) });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: tasksKey });
      void message.success(task ? t("tasks.saved") : t("tasks.created"));
      onSaved?.(saved);
      onClose();
    },
    onError: (err) => {
      // An assignee who cannot see the task's record: the server names the field, so say it there.
      if (isApiError(err) && err.code === "VALIDATION" && err.details.field === "assigneeId") {
        form.setFields([{ name: "assigneeId", errors: [err.message] }]);
        return;
      }
      handleSaveError(err, form, () => {
        void queryClient.invalidateQueries({ queryKey: tasksKey });
        onClose();
      });
    },
  });

  const known: Record<string, string> = {};
  for (const id of [me.user.id, task?.assigneeId]) if (id) known[id] = nameOf(id) ?? id;

  return (
    <Modal
      open={open}
      title={task ? t("tasks.editTitle") : t("tasks.createTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={task ? t("common.save") : t("common.create")}
      okButtonProps={{ loading: mutation.isPending, "data-testid": "task-form-submit" } as ButtonProps}
      destroyOnHidden
      forceRender
    >
      <Form form={form} name="task" layout="vertical" onFinish={(v) => mutation.mutate(v)}>
        <Form.Item name="title" label={t("tasks.fields.title")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("tasks.fields.title") }) }]}>
          <Input maxLength={200} placeholder={t("tasks.fields.titlePlaceholder")} data-testid="task-title" />
        </Form.Item>
        <Form.Item name="dueAt" label={t("tasks.fields.dueAt")} rules={[{ required: true, message: t("validation.required", { field: t("tasks.fields.dueAt") }) }]}>
          <DatePicker showTime={{ format: "HH:mm", minuteStep: 5 }} format="YYYY-MM-DD HH:mm" allowClear={false} style={{ width: "100%" }} data-testid="task-due" />
        </Form.Item>
        <Form.Item name="assigneeId" label={t("tasks.fields.assignee")} rules={[{ required: true, message: t("validation.required", { field: t("tasks.fields.assignee") }) }]}>
          <UserSelect known={known} data-testid="task-assignee" />
        </Form.Item>
        <Form.Item name="priority" label={t("tasks.fields.priority")}>
          <Segmented<TaskPriority> options={TASK_PRIORITIES.map((p) => ({ value: p, label: t(`tasks.priorities.${p}`) }))} />
        </Form.Item>
        <Form.Item name="notes" label={t("tasks.fields.notes")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
