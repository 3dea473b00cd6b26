import { LockOutlined, MailOutlined, SafetyOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { isApiError } from "../../app/api.js";
import { AuthCard } from "../../app/components/AuthCard.js";
import { applyFormErrors, errorMessage } from "../../app/errors.js";
import { safeNext } from "../../app/guards.js";
import { startSession } from "../../app/session.js";
import { login, type LoginInput } from "./api.js";

export function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginInput>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: login,
    onSuccess: (me) => {
      startSession(queryClient, me);
      void navigate(safeNext(params.get("next")), { replace: true });
    },
    onError: (err) => {
      if (isApiError(err) && err.status === 401 && err.details.totpRequired === true) {
        // First time: the password was right and a code is wanted; after that it is a wrong code.
        if (needsTotp) form.setFields([{ name: "totpCode", errors: [err.message] }]);
        setNeedsTotp(true);
        setError(null);
        return;
      }
      if (applyFormErrors(form, err)) return;
      setError(errorMessage(err));
    },
  });

  const submit = (values: LoginInput) => {
    setError(null);
    mutation.mutate({ email: values.email.trim(), password: values.password, ...(needsTotp ? { totpCode: values.totpCode } : {}) });
  };

  const restart = () => {
    setNeedsTotp(false);
    setError(null);
    form.resetFields();
  };

  return (
    <AuthCard title={needsTotp ? t("auth.totpTitle") : t("auth.loginTitle")} subtitle={needsTotp ? t("auth.totpHint") : t("auth.loginSubtitle")}>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
      <Form form={form} name="login" layout="vertical" requiredMark={false} onFinish={submit} data-testid="login-form" size="large">
        <div style={{ display: needsTotp ? "none" : undefined }}>
          <Form.Item
            name="email"
            label={t("auth.email")}
            rules={[
              { required: true, message: t("validation.required", { field: t("auth.email") }) },
              { type: "email", message: t("validation.email") },
            ]}
          >
            <Input prefix={<MailOutlined />} autoComplete="username" inputMode="email" autoFocus data-testid="login-email" />
          </Form.Item>
          <Form.Item name="password" label={t("auth.password")} rules={[{ required: true, message: t("validation.required", { field: t("auth.password") }) }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
        </div>
        {needsTotp ? (
          <Form.Item
            name="totpCode"
            label={t("auth.totpCode")}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t("validation.totpCode") }]}
            normalize={(v: string) => v.replace(/\D/g, "").slice(0, 6)}
          >
            <Input prefix={<SafetyOutlined />} autoComplete="one-time-code" inputMode="numeric" maxLength={6} autoFocus data-testid="login-totp" />
          </Form.Item>
        ) : null}
        <Button type="primary" htmlType="submit" block loading={mutation.isPending} data-testid="login-submit">
          {needsTotp ? t("auth.verify") : t("auth.signIn")}
        </Button>
      </Form>
      <div style={{ marginTop: 16, textAlign: "center" }}>
        {needsTotp ? (
          <Button type="link" onClick={restart}>
            {t("auth.useAnotherAccount")}
          </Button>
        ) : (
          <Link to="/forgot-password" data-testid="forgot-password-link">
            {t("auth.forgotPassword")}
          </Link>
        )}
      </div>
    </AuthCard>
  );
}
