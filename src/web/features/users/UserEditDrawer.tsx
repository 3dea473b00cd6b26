import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Drawer, Flex, Form, Input, Radio, Skeleton } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { getUser, updateUser, usersKey, type UserStatus, type UserUpdateInput } from "./api.js";
import { DepartmentSelect, RoleSelect, TeamsSelect } from "./pickers.js";

type EditForm = { name: string; roleId: string; departmentId: string | null; teamIds: string[]; status: UserStatus };

/** Edits one member; `version` guards against overwriting someone else's change. */
export function UserEditDrawer({ userId, onClose, isSelf }: { userId: string | null; onClose: () => void; isSelf: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditForm>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();

  const user = useQuery({
    queryKey: [...usersKey, "one", userId],
    queryFn: () => getUser(userId!),
    enabled: userId !== null,
    staleTime: 0,
  });

  useEffect(() => {
    if (user.data) {
      const u = user.data;
      form.setFieldsValue({ name: u.name, roleId: u.roleId, departmentId: u.departmentId, teamIds: u.teamIds, status: u.status });
    }
  }, [user.data, form]);

  const mutation = useMutation({
    mutationFn: (input: UserUpdateInput) => updateUser(userId!, input),
    onSuccess: (u) => {
      queryClient.setQueryData([...usersKey, "one", userId], u);
      void queryClient.invalidateQueries({ queryKey: [...usersKey, "list"] });
      void message.success(t("users.updatedMsg"));
      onClose();
    },
    onError: (err) =>
      handleSaveError(err, form, () => {
        void user.refetch();
      }),
  });

  const submit = (v: EditForm) => {
    if (!user.data) return;
    mutation.mutate({
      version: user.data.version,
      name: v.name.trim(),
      roleId: v.roleId,
      departmentId: v.departmentId ?? null,
      teamIds: v.teamIds ?? [],
      status: v.status,
    });
  };

  return (
    <Drawer
      open={userId !== null}
      onClose={onClose}
      title={user.data ? `${t("users.editTitle")} · ${user.data.name}` : t("users.editTitle")}
      size={480}
      destroyOnHidden
      forceRender
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" onClick={() => form.submit()} loading={mutation.isPending} disabled={!user.data} data-testid="user-edit-submit">
            {t("common.save")}
          </Button>
        </Flex>
      }
    >
      {user.isError ? <QueryError error={user.error} onRetry={() => void user.refetch()} /> : null}
      {user.isPending && userId ? <Skeleton active /> : null}
      <Form form={form} name="user-edit" layout="vertical" onFinish={submit} style={{ display: user.data ? undefined : "none" }} data-testid="user-edit-form">
        <Form.Item label={t("users.email")}>
          <Input value={user.data?.email} disabled />
        </Form.Item>
        <Form.Item name="name" label={t("users.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("users.name") }) }]}>
          <Input />
        </Form.Item>
        <Form.Item name="roleId" label={t("users.role")} rules={[{ required: true, message: t("validation.select", { field: t("users.role") }) }]}>
          <RoleSelect />
        </Form.Item>
        <Form.Item name="departmentId" label={t("users.department")}>
          <DepartmentSelect placeholder={t("users.noDepartment")} />
        </Form.Item>
        <Form.Item name="teamIds" label={t("users.teams")}>
          <TeamsSelect />
        </Form.Item>
        <Form.Item name="status" label={t("users.status")}>
          <Radio.Group
            disabled={isSelf}
            options={[
              { value: "active", label: t("users.statusActive") },
              { value: "disabled", label: t("users.statusDisabled") },
            ]}
            optionType="button"
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
