import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Checkbox, Divider, Flex, Form, Input, Select } from "antd";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { AuthCard } from "../../app/components/AuthCard.js";
import { applyFormErrors, errorMessage } from "../../app/errors.js";
import { confirmPasswordField, passwordRules } from "../../app/password-rules.js";
import { startSession, type Me } from "../../app/session.js";
import { LOCALES, currentLocale, setLocale, type Locale } from "../../i18n/index.js";
import { JobProgress } from "../jobs/JobProgress.js";
import type { Job } from "../jobs/api.js";
import { runSetup, setupStatusKey, type SetupInput } from "./api.js";

type SetupForm = SetupInput & { confirm: string };

/** First run: the workspace, its owner, and optionally demo data generated in the background. */
export function SetupPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SetupForm>();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [demo, setDemo] = useState<{ me: Me; jobId: string; job?: Job } | null>(null);

  const enter = useCallback(
    (me: Me) => {
      startSession(queryClient, me);
      queryClient.setQueryData(setupStatusKey, { needsSetup: false });
      void navigate("/", { replace: true });
    },
    [navigate, queryClient],
  );

  const mutation = useMutation({
    mutationFn: runSetup,
    onSuccess: (result) => {
      const { demoJobId, ...me } = result;
      if (demoJobId) setDemo({ me, jobId: demoJobId });
      else enter(me);
    },
    onError: (err) => {
      if (!applyFormErrors(form, err)) setError(errorMessage(err));
    },
  });

  const onFinished = useCallback((job: Job) => setDemo((d) => (d ? { ...d, job } : d)), []);

  if (demo) {
    const state = demo.job?.state;
    return (
      <AuthCard title={state ? t("setup.allSet") : t("setup.preparingDemo")} subtitle={state ? undefined : t("setup.preparingDemoHint")} width={520}>
        <JobProgress jobId={demo.jobId} onFinished={onFinished} />
        {state === "completed" ? <Alert type="success" showIcon title={t("setup.demoDone")} style={{ marginTop: 16 }} /> : null}
        {state === "failed" || state === "cancelled" ? (
          <Alert type="warning" showIcon title={t("setup.demoFailed")} style={{ marginTop: 16 }} />
        ) : null}
        <Button type="primary" block size="large" style={{ marginTop: 24 }} onClick={() => enter(demo.me)} data-testid="setup-enter">
          {state ? t("setup.enterApp") : t("setup.continueInBackground")}
        </Button>
      </AuthCard>
    );
  }

  const submit = ({ confirm: _confirm, ...values }: SetupForm) => {
    setError(null);
    mutation.mutate({ ...values, email: values.email.trim(), workspaceName: values.workspaceName.trim(), name: values.name.trim() });
  };

  const required = (label: string) => ({ required: true, whitespace: true, message: t("validation.required", { field: label }) });

  return (
    <AuthCard title={t("setup.title")} subtitle={t("setup.subtitle")} width={520}>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form<SetupForm>
        form={form}
        name="setup"
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={{ locale: currentLocale(), demoData: false }}
        onValuesChange={(changed: Partial<SetupForm>) => {
          // The language field previews the choice immediately.
          if (changed.locale) void setLocale(changed.locale);
        }}
        data-testid="setup-form"
      >
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {t("setup.workspaceSection")}
        </Divider>
        <Form.Item name="workspaceName" label={t("setup.workspaceName")} rules={[required(t("setup.workspaceName")), { max: 100 }]}>
          <Input placeholder={t("setup.workspacePlaceholder")} autoFocus data-testid="setup-workspace-name" />
        </Form.Item>
        <Form.Item name="locale" label={t("setup.language")}>
          <Select<Locale> options={LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) }))} data-testid="setup-locale" />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t("setup.accountSection")}
        </Divider>
        <Form.Item name="name" label={t("setup.yourName")} rules={[required(t("setup.yourName")), { max: 100 }]}>
          <Input autoComplete="name" data-testid="setup-name" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t("setup.email")}
          rules={[required(t("setup.email")), { type: "email", message: t("validation.email") }]}
        >
          <Input autoComplete="email" inputMode="email" data-testid="setup-email" />
        </Form.Item>
        <Flex gap={16} wrap="wrap">
          <Form.Item
            name="password"
            label={t("setup.password")}
            rules={passwordRules(t("setup.password"))}
            extra={t("setup.passwordHelp")}
            hasFeedback
            style={{ flex: "1 1 200px" }}
          >
            <Input.Password autoComplete="new-password" data-testid="setup-password" />
          </Form.Item>
          <Form.Item {...confirmPasswordField("password", t("setup.confirmPassword"))} style={{ flex: "1 1 200px" }}>
            <Input.Password autoComplete="new-password" data-testid="setup-confirm" />
          </Form.Item>
        </Flex>
        <Form.Item name="demoData" valuePropName="checked" extra={t("setup.demoDataHelp")}>
          <Checkbox data-testid="setup-demo">{t("setup.demoData")}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={mutation.isPending} data-testid="setup-submit">
          {t("setup.submit")}
        </Button>
      </Form>
    </AuthCard>
  );
}
