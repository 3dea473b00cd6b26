import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Divider, Form, Input, Radio, Skeleton, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { customerSettingsKey, updateCustomerSettings, useCustomerSettings, type CustomerSettings } from "./api.js";
import { GradeRulesEditor } from "./GradeRulesEditor.js";

type Values = Pick<CustomerSettings, "codePattern" | "duplicateMode">;

/** The pattern's first code as of today (the server numbers; this is only the preview). */
export function previewCode(pattern: string, now = new Date()): string | null {
  if (!/\{SEQ:[3-9]\}/.test(pattern)) return null;
  const y = String(now.getFullYear());
  return pattern
    .replace("{YYYY}", y)
    .replace("{YY}", y.slice(2))
    .replace("{MM}", String(now.getMonth() + 1).padStart(2, "0"))
    .replace("{DD}", String(now.getDate()).padStart(2, "0"))
    .replace(/\{SEQ:(\d)\}/, (_, n: string) => "1".padStart(Number(n), "0"));
}

/** Customer numbering and the duplicate policy (查重), in the workspace settings. */
export function CustomerSettingsCard() {
  const { t } = useTranslation();
  const can = useCan();
  const settings = useCustomerSettings();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const pattern = Form.useWatch("codePattern", form) ?? "";
  const preview = previewCode(pattern.trim());

  useEffect(() => {
    if (settings.data) form.setFieldsValue({ codePattern: settings.data.codePattern, duplicateMode: settings.data.duplicateMode });
  }, [settings.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => updateCustomerSettings({ version: settings.data!.version, codePattern: v.codePattern.trim(), duplicateMode: v.duplicateMode }),
    onSuccess: (s) => {
      queryClient.setQueryData(customerSettingsKey, s);
      void message.success(t("customerSettings.savedMsg"));
    },
    onError: (err) =>
      handleSaveError(err, form, () => {
        void settings.refetch();
      }),
  });

  return (
    <Card title={t("customerSettings.title")} data-testid="customer-settings">
      {settings.isError ? (
        <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : settings.isPending ? (
        <Skeleton active />
      ) : (
        <Form form={form} name="customer-settings" layout="vertical" onFinish={(v) => save.mutate(v)} style={{ maxWidth: 480 }}>
          <Form.Item
            name="codePattern"
            label={t("customerSettings.codePattern")}
            extra={
              <>
                {t("customerSettings.codePatternHelp")}
                {preview ? (
                  <Typography.Text type="secondary" style={{ display: "block" }}>
                    {t("customerSettings.preview", { code: preview })}
                  </Typography.Text>
                ) : null}
              </>
            }
            rules={[
              { required: true, whitespace: true, message: t("validation.required", { field: t("customerSettings.codePattern") }) },
              { pattern: /\{SEQ:[3-9]\}/, message: t("customerSettings.seqRequired") },
            ]}
          >
            <Input maxLength={40} style={{ fontFamily: "monospace" }} data-testid="code-pattern" />
          </Form.Item>
          <Form.Item name="duplicateMode" label={t("customerSettings.duplicateMode")}>
            <Radio.Group
              style={{ display: "flex", flexDirection: "column", gap: 8 }}
              options={[
                { value: "warn", label: t("customerSettings.modes.warn") },
                { value: "block", label: t("customerSettings.modes.block") },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t("common.save")}
          </Button>
        </Form>
      )}
      {settings.data && can("workspace:update") ? (
        <>
          <Divider titlePlacement="start">{t("gradeRules.title")}</Divider>
          <GradeRulesEditor settings={settings.data} />
        </>
      ) : null}
    </Card>
  );
}
