import { LockOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import { Alert, Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { isApiError } from "../../app/api.js";
import { AuthCard } from "../../app/components/AuthCard.js";
import { useShowError } from "../../app/errors.js";
import { confirmPasswordField, passwordRules } from "../../app/password-rules.js";
import { confirmPasswordReset } from "./api.js";

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const showError = useShowError();
  const [tokenError, setTokenError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (password: string) => confirmPasswordReset(token, password),
    onError: (err) => {
      // An expired or malformed link cannot be fixed in the form: offer a new one.
      if (isApiError(err) && (err.details.field === "token" || err.issues.some((i) => i.path[0] === "token"))) {
        setTokenError(err.details.field === "token" ? err.message : t("auth.missingToken"));
        return;
      }
      showError(err, form);
    },
  });

  let body;
  if (!token || tokenError) {
    body = (
      <Alert
        type="error"
        showIcon
        title={tokenError ?? t("auth.missingToken")}
        data-testid="reset-token-error"
        action={
          <Link to="/forgot-password">
            <Button size="small">{t("auth.requestNewLink")}</Button>
          </Link>
        }
      />
    );
  } else if (mutation.isSuccess) {
    body = <Alert type="success" showIcon title={t("auth.resetDone")} data-testid="reset-done" />;
  } else {
    body = (
      <Form form={form} name="reset-password" layout="vertical" requiredMark={false} size="large" onFinish={(v) => mutation.mutate(v.password)}>
        <Form.Item name="password" label={t("auth.newPassword")} rules={passwordRules(t("auth.newPassword"))} hasFeedback>
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item {...confirmPasswordField("password", t("auth.confirmPassword"))}>
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={mutation.isPending}>
          {t("auth.setPassword")}
        </Button>
      </Form>
    );
  }

  return (
    <AuthCard title={t("auth.resetTitle")}>
      {body}
      <div style={{ marginTop: 16, textAlign: "center" }}>
        <Link to="/login">{t("auth.backToLogin")}</Link>
      </div>
    </AuthCard>
  );
}
