import { useMutation } from "@tanstack/react-query";
import { App, Button, Card, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { useShowError } from "../../app/errors.js";
import { confirmPasswordField, passwordRules } from "../../app/password-rules.js";
import { changePassword } from "./api.js";

type PasswordFormValues = { currentPassword: string; newPassword: string; confirm: string };

export function PasswordForm() {
  const { t } = useTranslation();
  const [form] = Form.useForm<PasswordFormValues>();
  const { message } = App.useApp();
  const showError = useShowError();

  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      form.resetFields();
      void message.success(t("profile.passwordChanged"));
    },
    onError: (err) => showError(err, form),
  });

  return (
    <Card title={t("profile.passwordTitle")}>
      <Form
        form={form}
        name="change-password"
        layout="vertical"
        style={{ maxWidth: 480 }}
        onFinish={(v) => mutation.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword })}
      >
        {/* Lets password managers pair the new password with the account. */}
        <input type="text" name="username" autoComplete="username" hidden readOnly />
        <Form.Item
          name="currentPassword"
          label={t("profile.currentPassword")}
          rules={[{ required: true, message: t("validation.required", { field: t("profile.currentPassword") }) }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t("profile.newPassword")} rules={passwordRules(t("profile.newPassword"))} hasFeedback>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item {...confirmPasswordField("newPassword", t("profile.confirmPassword"))}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          {t("profile.changePassword")}
        </Button>
      </Form>
    </Card>
  );
}
