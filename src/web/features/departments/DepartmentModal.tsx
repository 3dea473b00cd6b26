import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Modal } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useSaveErrorHandler } from "../../app/errors.js";
import { DepartmentSelect } from "../users/pickers.js";
import { createDepartment, departmentsKey, updateDepartment, type Department } from "./api.js";

type DeptForm = { name: string; parentId: string | null };

/** Create (with an optional preset parent) or rename/move an existing department. */
export function DepartmentModal({
  open,
  department,
  parentId,
  onClose,
}: {
  open: boolean;
  department?: Department;
  parentId?: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<DeptForm>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();

  useEffect(() => {
    if (open) form.setFieldsValue({ name: department?.name ?? "", parentId: department ? department.parentId : parentId ?? null });
  }, [open, department, parentId, form]);

  const mutation = useMutation({
    mutationFn: (v: DeptForm) =>
      department
        ? updateDepartment(department.id, { version: department.version, name: v.name.trim(), parentId: v.parentId ?? null })
        : createDepartment({ name: v.name.trim(), parentId: v.parentId ?? null }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: departmentsKey });
      void message.success(department ? t("common.saved") : t("common.created"));
      onClose();
    },
    onError: (err) =>
      handleSaveError(err, form, () => {
        void queryClient.invalidateQueries({ queryKey: departmentsKey });
        onClose();
      }),
  });

  return (
    <Modal
      open={open}
      title={department ? t("departments.editTitle") : t("departments.createTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: mutation.isPending }}
      okText={department ? t("common.save") : t("common.create")}
      destroyOnHidden
      forceRender
    >
      <Form form={form} name="department" layout="vertical" onFinish={(v) => mutation.mutate(v)}>
        <Form.Item
          name="name"
          label={t("departments.name")}
          rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("departments.name") }) }]}
        >
          <Input autoFocus maxLength={100} data-testid="department-name" />
        </Form.Item>
        <Form.Item name="parentId" label={t("departments.parent")}>
          <DepartmentSelect exclude={department?.id} placeholder={t("departments.topLevel")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
