import { MailOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import { Alert, Button, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { AuthCard } from "../../app/components/AuthCard.js";
import { useShowError } from "../../app/errors.js";
import { requestPasswordReset } from "./api.js";

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ email: string }>();
  const showError = useShowError();
  const mutation = useMutation({
    mutationFn: (email: string) => requestPasswordReset(email),
    onError: (err) => showError(err, form),
  });

  return (
    <AuthCard title={t("auth.forgotTitle")} subtitle={mutation.isSuccess ? undefined : t("auth.forgotDescription")}>
      {mutation.isSuccess ? (
        <Alert type="success" showIcon title={t("auth.resetSent")} data-testid="reset-requested" />
      ) : (
        <Form form={form} name="forgot-password" layout="vertical" requiredMark={false} size="large" onFinish={(v) => mutation.mutate(v.email.trim())}>
          <Form.Item
            name="email"
            label={t("auth.email")}
            rules={[
              { required: true, message: t("validation.required", { field: t("auth.email") }) },
              { type: "email", message: t("validation.email") },
            ]}
          >
            <Input prefix={<MailOutlined />} autoComplete="email" inputMode="email" autoFocus />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={mutation.isPending}>
            {t("auth.sendResetLink")}
          </Button>
        </Form>
      )}
      <div style={{ marginTop: 16, textAlign: "center" }}>
        <Link to="/login">{t("auth.backToLogin")}</Link>
      </div>
    </AuthCard>
  );
}
