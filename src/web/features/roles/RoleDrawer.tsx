import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Drawer, Flex, Form, Grid, Input, Radio, Skeleton, Space, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useSaveErrorHandler } from "../../app/errors.js";
import type { Visibility } from "../../app/session.js";
import { createRole, rolesKey, updateRole, usePermissionCatalog, VISIBILITIES, type Role, type RoleInput } from "./api.js";
import { PermissionMatrix } from "./PermissionMatrix.js";

/** Create (role undefined), edit (custom role) or view (system role). */
export function RoleDrawer({ open, role, onClose }: { open: boolean; role?: Role; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RoleInput>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const catalog = usePermissionCatalog();
  const screens = Grid.useBreakpoint();
  const readOnly = role?.isSystem === true;

  useEffect(() => {
    if (!open) return;
    if (role) {
      form.setFieldsValue({
        key: role.key,
        name: role.name,
        description: role.description ?? "",
        visibility: role.visibility,
        permissions: role.permissions,
      });
    } else {
      form.resetFields();
    }
  }, [open, role, form]);

  const mutation = useMutation({
    mutationFn: (v: RoleInput) =>
      role
        ? updateRole(role.id, { version: role.version, name: v.name, description: v.description ?? "", visibility: v.visibility, permissions: v.permissions })
        : createRole({ ...v, key: v.key.trim() }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rolesKey });
      void message.success(role ? t("common.saved") : t("common.created"));
      onClose();
    },
    onError: (err) =>
      handleSaveError(err, form, () => {
        void queryClient.invalidateQueries({ queryKey: rolesKey });
        onClose();
      }),
  });

  const title = readOnly ? t("roles.viewTitle") : role ? t("roles.editTitle") : t("roles.createTitle");
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={role ? `${title} · ${role.name}` : title}
      size={screens.md ? 760 : "100%"}
      destroyOnHidden
      forceRender
      footer={
        readOnly ? null : (
          <Flex justify="flex-end" gap={8}>
            <Button onClick={onClose}>{t("common.cancel")}</Button>
            <Button type="primary" loading={mutation.isPending} onClick={() => form.submit()} data-testid="role-submit">
              {role ? t("common.save") : t("common.create")}
            </Button>
          </Flex>
        )
      }
    >
      {readOnly ? <Alert type="info" showIcon title={t("roles.systemReadOnly")} style={{ marginBottom: 16 }} /> : null}
      <Form<RoleInput>
        form={form}
        name="role"
        layout="vertical"
        disabled={readOnly}
        onFinish={(v) => mutation.mutate(v)}
        initialValues={{ visibility: "own", permissions: [] }}
      >
        <Flex gap={16} wrap="wrap">
          <Form.Item
            name="key"
            label={t("roles.key")}
            extra={role ? undefined : t("roles.keyHelp")}
            style={{ flex: "1 1 220px" }}
            rules={[
              { required: true, message: t("validation.required", { field: t("roles.key") }) },
              { pattern: /^[a-z][a-z0-9_]{1,49}$/, message: t("validation.roleKey") },
            ]}
          >
            <Input disabled={readOnly || Boolean(role)} data-testid="role-key" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t("roles.name")}
            style={{ flex: "1 1 220px" }}
            rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("roles.name") }) }]}
          >
            <Input data-testid="role-name" />
          </Form.Item>
        </Flex>
        <Form.Item name="description" label={t("roles.description")}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
        </Form.Item>
        <Form.Item name="visibility" label={t("roles.visibility")}>
          <Radio.Group style={{ width: "100%" }}>
            <Space orientation="vertical">
              {VISIBILITIES.map((v: Visibility) => (
                <Radio key={v} value={v}>
                  {t(`roles.visibilityOptions.${v}`)}{" "}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`roles.visibilityHelp.${v}`)}
                  </Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="permissions" label={t("roles.permissions")}>
          {catalog.data ? <PermissionMatrix objects={catalog.data} disabled={readOnly} /> : <Skeleton active />}
        </Form.Item>
      </Form>
    </Drawer>
  );
}
