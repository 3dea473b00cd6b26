import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Modal, type ButtonProps } from "antd";
import { useTranslation } from "react-i18next";
import { useShowError } from "../../app/errors.js";
import { passwordRules } from "../../app/password-rules.js";
import { createUser, usersKey, type UserCreateInput } from "./api.js";
import { DepartmentSelect, RoleSelect, TeamsSelect } from "./pickers.js";

export function UserCreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UserCreateInput>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();

  const mutation = useMutation({
    mutationFn: createUser,
    onSuccess: (user) => {
      void queryClient.invalidateQueries({ queryKey: usersKey });
      void message.success(t("users.createdMsg", { name: user.name }));
      form.resetFields();
      onClose();
    },
    onError: (err) => showError(err, form),
  });

  const submit = (v: UserCreateInput) =>
    mutation.mutate({
      email: v.email.trim(),
      name: v.name.trim(),
      roleId: v.roleId,
      ...(v.password ? { password: v.password } : {}),
      ...(v.departmentId ? { departmentId: v.departmentId } : {}),
      ...(v.teamIds?.length ? { teamIds: v.teamIds } : {}),
    });

  return (
    <Modal
      open={open}
      title={t("users.createTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("common.create")}
      okButtonProps={{ loading: mutation.isPending, "data-testid": "user-create-submit" } as ButtonProps}
      destroyOnHidden
      forceRender
    >
      <Form form={form} name="user-create" layout="vertical" onFinish={submit} preserve={false} data-testid="user-create-form">
        <Form.Item
          name="email"
          label={t("users.email")}
          rules={[
            { required: true, message: t("validation.required", { field: t("users.email") }) },
            { type: "email", message: t("validation.email") },
          ]}
        >
          <Input autoComplete="off" inputMode="email" data-testid="user-create-email" />
        </Form.Item>
        <Form.Item name="name" label={t("users.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("users.name") }) }]}>
          <Input autoComplete="off" data-testid="user-create-name" />
        </Form.Item>
        <Form.Item name="roleId" label={t("users.role")} rules={[{ required: true, message: t("validation.select", { field: t("users.role") }) }]}>
          <RoleSelect data-testid="user-create-role" />
        </Form.Item>
        <Form.Item name="departmentId" label={t("users.department")}>
          <DepartmentSelect placeholder={t("users.noDepartment")} />
        </Form.Item>
        <Form.Item name="teamIds" label={t("users.teams")}>
          <TeamsSelect />
        </Form.Item>
        <Form.Item
          name="password"
          label={`${t("users.initialPassword")} (${t("common.optional")})`}
          rules={passwordRules(t("users.initialPassword"), false)}
          extra={t("users.passwordHelp")}
        >
          <Input.Password autoComplete="new-password" data-testid="user-create-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
